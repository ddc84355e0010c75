#include "services/keybroker/policy.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

namespace ccbox::keybroker {

namespace {

enum class Type { kHex, kInt, kBool, kEnum, kStringSet };
enum class Op { kEquals, kNotEquals, kIn, kLessOrEquals, kGreaterOrEquals };

struct ClaimSpec {
    std::string_view name;
    Type type;
    std::vector<std::string_view> values;  // kEnum: the accepted values
};

const std::array<ClaimSpec, 8>& claim_specs() {
    static const std::array<ClaimSpec, 8> specs = {{
        {"mrenclave", Type::kHex, {}},
        {"mrsigner", Type::kHex, {}},
        {"product_id", Type::kInt, {}},
        {"svn", Type::kInt, {}},
        {"debug", Type::kBool, {}},
        {"tcb_status",
         Type::kEnum,
         {"UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate",
          "OutOfDateConfigurationNeeded", "Revoked"}},
        {"advisory_ids", Type::kStringSet, {}},
        {"platform_mode", Type::kEnum, {"production", "development"}},
    }};
    return specs;
}

constexpr std::array<std::pair<std::string_view, Op>, 5> kOps = {{{"equals", Op::kEquals},
                                                                   {"notEquals", Op::kNotEquals},
                                                                   {"in", Op::kIn},
                                                                   {"lessOrEquals", Op::kLessOrEquals},
                                                                   {"greaterOrEquals", Op::kGreaterOrEquals}}};

bool op_applies(Type t, Op op) {
    switch (t) {
    case Type::kInt: return true;
    case Type::kBool: return op == Op::kEquals || op == Op::kNotEquals;
    default: return op == Op::kEquals || op == Op::kNotEquals || op == Op::kIn;
    }
}

Error bad(const std::string& path, const std::string& what) {
    return Error(CCBOX_INVALID_PARAMETER, "policy: " + path + ": " + what);
}

}  // namespace

struct Policy::Node {
    enum class Kind { kAllOf, kAnyOf, kNot, kLeaf } kind = Kind::kLeaf;
    std::string path;
    std::vector<Node> children;
    // Leaves:
    size_t claim = 0;
    Op op = Op::kEquals;
    std::vector<std::string> strings;  // kHex, kEnum, kStringSet operands (a set for `in`)
    std::vector<int64_t> ints;
    bool boolean = false;
    std::string text;  // "svn greaterOrEquals 2"
};

Policy::~Policy() = default;

namespace {

using Node = Policy::Node;

// One string operand of a claim of type `t`, normalised; `path` names it in errors.
Result<std::string> string_operand(const ClaimSpec& spec, const nlohmann::json& v, const std::string& path) {
    if (!v.is_string())
        return bad(path, std::string("expected a string for claim ") + std::string(spec.name) + ", got " + v.type_name());
    std::string s = v.get<std::string>();
    if (spec.type == Type::kHex) {
        if (s.size() != 64 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(uint8_t(c)); }))
            return bad(path, std::string("expected 64 hex digits for claim ") + std::string(spec.name));
        std::transform(s.begin(), s.end(), s.begin(), [](char c) { return char(std::tolower(uint8_t(c))); });
    } else if (spec.type == Type::kEnum) {
        if (std::find(spec.values.begin(), spec.values.end(), s) == spec.values.end()) {
            std::string list;
            for (auto value : spec.values)
                list += (list.empty() ? "" : ", ") + std::string(value);
            return bad(path, "\"" + s + "\" is not a value of claim " + std::string(spec.name) + " (one of " + list + ")");
        }
    } else if (s.empty() || s.size() > 128) {
        return bad(path, "an advisory id is 1..128 characters");
    }
    return s;
}

Result<int64_t> int_operand(const ClaimSpec& spec, const nlohmann::json& v, const std::string& path) {
    // Booleans and floats are not integers here, nor are numbers past uint16 (svn, product_id).
    if (!v.is_number_integer())
        return bad(path, std::string("expected an integer for claim ") + std::string(spec.name) + ", got " +
                             (v.is_number_float() ? "a non-integer number" : v.type_name()));
    if (v.is_number_unsigned() ? v.get<uint64_t>() > 65535 : (v.get<int64_t>() < 0 || v.get<int64_t>() > 65535))
        return bad(path, std::string("claim ") + std::string(spec.name) + " is 0..65535, got " + v.dump());
    return v.get<int64_t>();
}

Result<void> parse_leaf(const nlohmann::json& j, const std::string& path, Node* node, nlohmann::json* norm) {
    if (j.size() != 2)
        return bad(path, "a comparison has exactly two members, \"claim\" and one operator");
    const auto& claim = j.at("claim");
    if (!claim.is_string())
        return bad(path + ".claim", std::string("expected a string, got ") + claim.type_name());
    const std::string name = claim.get<std::string>();
    const auto& specs = claim_specs();
    auto it = std::find_if(specs.begin(), specs.end(), [&](const ClaimSpec& s) { return s.name == name; });
    if (it == specs.end())
        return bad(path + ".claim", "unknown claim \"" + name + "\"");
    node->claim = static_cast<size_t>(it - specs.begin());
    const ClaimSpec& spec = *it;
    std::string op_name;
    for (auto& [key, value] : j.items())
        if (key != "claim")
            op_name = key;
    auto op = std::find_if(kOps.begin(), kOps.end(), [&](const auto& p) { return p.first == op_name; });
    if (op == kOps.end())
        return bad(path, "unknown operator \"" + op_name + "\"");
    node->op = op->second;
    if (!op_applies(spec.type, node->op))
        return bad(path, "operator " + op_name + " does not apply to claim " + name);
    const auto& v = j.at(op_name);
    const std::string vpath = path + "." + op_name;
    nlohmann::json nv;
    const bool list = node->op == Op::kIn || spec.type == Type::kStringSet;
    if (list) {
        if (!v.is_array())
            return bad(vpath, std::string("expected an array, got ") + v.type_name());
        if (v.empty() && spec.type != Type::kStringSet)
            return bad(vpath, "an empty list matches nothing");
        if (v.size() > 1024)
            return bad(vpath, "more than 1024 values");
        nv = nlohmann::json::array();
        for (size_t i = 0; i < v.size(); ++i) {
            const std::string ipath = vpath + "[" + std::to_string(i) + "]";
            if (spec.type == Type::kInt) {
                CCBOX_ASSIGN_OR_RETURN(int64_t n, int_operand(spec, v[i], ipath));
                node->ints.push_back(n);
                nv.push_back(n);
            } else if (spec.type == Type::kBool) {
                return bad(vpath, "operator in does not apply to claim " + name);
            } else {
                CCBOX_ASSIGN_OR_RETURN(std::string s, string_operand(spec, v[i], ipath));
                node->strings.push_back(s);
                nv.push_back(s);
            }
        }
    } else if (spec.type == Type::kInt) {
        CCBOX_ASSIGN_OR_RETURN(int64_t n, int_operand(spec, v, vpath));
        node->ints.push_back(n);
        nv = n;
    } else if (spec.type == Type::kBool) {
        if (!v.is_boolean())
            return bad(vpath, std::string("expected true or false for claim debug, got ") + v.type_name());
        node->boolean = v.get<bool>();
        nv = node->boolean;
    } else {
        CCBOX_ASSIGN_OR_RETURN(std::string s, string_operand(spec, v, vpath));
        node->strings.push_back(s);
        nv = s;
    }
    std::string shown = nv.dump();
    if (shown.size() > 80)
        shown = shown.substr(0, 77) + "...";
    node->text = name + " " + op_name + " " + shown;
    *norm = {{"claim", name}, {op_name, nv}};
    return ok_result();
}

Result<void> parse_node(const nlohmann::json& j, const std::string& path, int depth, Node* node, nlohmann::json* norm) {
    node->path = path;
    if (depth > kMaxPolicyDepth)
        return bad(path, "nested deeper than " + std::to_string(kMaxPolicyDepth) + " levels");
    if (!j.is_object())
        return bad(path, std::string("expected a clause (an object), got ") + j.type_name());
    if (j.contains("claim"))
        return parse_leaf(j, path, node, norm);
    for (const auto& item : j.items()) {
        const std::string& key = item.key();  // not a structured binding: clang 14 cannot capture one
        const bool known = key == "allOf" || key == "anyOf" || key == "not" || key == "claim" ||
                           std::any_of(kOps.begin(), kOps.end(), [&](const auto& p) { return p.first == key; });
        if (!known)
            return bad(path, "unknown member \"" + key + "\" (a clause is allOf, anyOf, not, or claim with an operator)");
    }
    if (j.size() != 1)
        return bad(path, "a clause has exactly one of allOf, anyOf, not, or claim with an operator");
    const std::string key = j.begin().key();
    const auto& v = j.begin().value();
    if (key == "not") {
        node->kind = Node::Kind::kNot;
        node->children.resize(1);
        nlohmann::json child;
        CCBOX_TRY(parse_node(v, path + ".not", depth + 1, &node->children[0], &child));
        *norm = {{"not", child}};
        return ok_result();
    }
    if (key != "allOf" && key != "anyOf")
        return bad(path, "operator \"" + key + "\" without a \"claim\"");
    node->kind = key == "allOf" ? Node::Kind::kAllOf : Node::Kind::kAnyOf;
    if (!v.is_array() || v.empty())
        return bad(path + "." + key, "expected a non-empty array of clauses");
    if (v.size() > 256)
        return bad(path + "." + key, "more than 256 clauses");
    node->children.resize(v.size());
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < v.size(); ++i) {
        nlohmann::json child;
        CCBOX_TRY(parse_node(v[i], path + "." + key + "[" + std::to_string(i) + "]", depth + 1, &node->children[i],
                             &child));
        list.push_back(std::move(child));
    }
    *norm = {{key, list}};
    return ok_result();
}

bool leaf_holds(const Node& n, const Claims& c) {
    const ClaimSpec& spec = claim_specs()[n.claim];
    auto in_strings = [&](const std::string& s) { return std::find(n.strings.begin(), n.strings.end(), s) != n.strings.end(); };
    switch (spec.type) {
    case Type::kHex:
    case Type::kEnum: {
        const std::string& v = spec.name == "mrenclave"  ? c.mrenclave
                               : spec.name == "mrsigner" ? c.mrsigner
                               : spec.name == "tcb_status" ? c.tcb_status
                                                           : c.platform_mode;
        if (n.op == Op::kIn)
            return in_strings(v);
        return (v == n.strings[0]) == (n.op == Op::kEquals);
    }
    case Type::kInt: {
        const int64_t v = spec.name == "svn" ? c.svn : c.product_id;
        switch (n.op) {
        case Op::kEquals: return v == n.ints[0];
        case Op::kNotEquals: return v != n.ints[0];
        case Op::kLessOrEquals: return v <= n.ints[0];
        case Op::kGreaterOrEquals: return v >= n.ints[0];
        case Op::kIn: return std::find(n.ints.begin(), n.ints.end(), v) != n.ints.end();
        }
        return false;
    }
    case Type::kBool: return (c.debug == n.boolean) == (n.op == Op::kEquals);
    case Type::kStringSet: {
        if (n.op == Op::kIn)
            return std::all_of(c.advisory_ids.begin(), c.advisory_ids.end(), in_strings);
        const std::set<std::string> have(c.advisory_ids.begin(), c.advisory_ids.end());
        const std::set<std::string> want(n.strings.begin(), n.strings.end());
        return (have == want) == (n.op == Op::kEquals);
    }
    }
    return false;
}

// The failing clause's path and text, or nullopt when `n` holds.
std::optional<std::string> failing(const Node& n, const Claims& c) {
    switch (n.kind) {
    case Node::Kind::kLeaf:
        if (leaf_holds(n, c))
            return std::nullopt;
        return n.path + " (" + n.text + ")";
    case Node::Kind::kAllOf:
        for (const auto& child : n.children)
            if (auto f = failing(child, c))
                return f;
        return std::nullopt;
    case Node::Kind::kAnyOf:
        for (const auto& child : n.children)
            if (!failing(child, c))
                return std::nullopt;
        return n.path + ".anyOf (none of " + std::to_string(n.children.size()) + " alternatives holds)";
    case Node::Kind::kNot:
        if (failing(n.children[0], c))
            return std::nullopt;
        return n.path + ".not (" + n.children[0].path + " holds)";
    }
    return n.path;
}

}  // namespace

Result<Policy> Policy::parse(const nlohmann::json& policy) {
    auto root = std::make_shared<Node>();
    Policy p;
    CCBOX_TRY(parse_node(policy, "$", 0, root.get(), &p.normalised_));
    p.root_ = std::move(root);
    return p;
}

std::optional<std::string> Policy::evaluate(const Claims& claims) const { return failing(*root_, claims); }

std::string Policy::canonical() const { return normalised_.dump(); }

}  // namespace ccbox::keybroker
