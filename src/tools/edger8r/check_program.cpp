// Checks across the whole program: duplicate names, types, functions, allow() lists and
// recursive deep copies.
#include "ast_names.h"
#include "checker.h"

#include <algorithm>
#include <map>
#include <set>

namespace ccbox::edl {
namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }
std::string where(const Location& l) {
    return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

class ProgramChecker {
public:
    ProgramChecker(const Program& p, Diagnostics& d) : program_(p), diags_(d), symbols_(p) {}

    void run() {
        check_types();
        check_functions();
        check_recursive_deep_copy();
    }

private:
    void check_types() {
        std::map<std::string, const UserType*> seen;
        std::map<std::string, const EnumItem*> enumerators;
        for (const UserType* t : program_.types) {
            if (!t->name.empty()) {
                check_name(t->name, t->location, "a type name", diags_);
                auto [it, fresh] = seen.emplace(t->name, t);
                if (!fresh)
                    diags_.error(t->location, "duplicate type " + quoted(t->name) + " (first declared at " +
                                                  where(it->second->location) + ")");
            }
            for (const EnumItem& item : t->items) {
                check_name(item.name, item.location, "an enumerator", diags_);
                auto [it, fresh] = enumerators.emplace(item.name, &item);
                if (!fresh)
                    diags_.error(item.location, "duplicate enumerator " + quoted(item.name) +
                                                    " (first declared at " + where(it->second->location) + ")");
            }
            if (t->kind == UserTypeKind::Enum)
                continue;
            DeclContext ctx{t->kind == UserTypeKind::Struct ? DeclContext::Kind::StructMember
                                                            : DeclContext::Kind::UnionMember,
                            &t->members, std::string(user_type_kind_name(t->kind)) + " " + quoted(t->name)};
            check_unique_names(t->members, "member", ctx.owner);
            for (const Declaration& m : t->members)
                check_declaration(m, ctx, symbols_, diags_);
        }
    }

    void check_unique_names(const std::vector<Declaration>& decls, const char* what, const std::string& owner) {
        std::map<std::string, const Declaration*> seen;
        for (const Declaration& d : decls) {
            auto [it, fresh] = seen.emplace(d.name, &d);
            if (!fresh)
                diags_.error(d.location, std::string("duplicate ") + what + " " + quoted(d.name) + " in " + owner);
        }
    }

    void check_functions() {
        std::map<std::string, const Function*> seen;
        std::set<std::string> ecall_names;
        for (const Function* f : program_.ecalls)
            ecall_names.insert(f->name);
        const auto& all = program_.functions;
        for (const Function* f : all) {
            auto [it, fresh] = seen.emplace(f->name, f);
            if (!fresh)
                diags_.error(f->location, "duplicate function " + quoted(f->name) + " (first declared at " +
                                              where(it->second->location) + ")");
        }
        for (const Function* f : all)
            check_function(*f, ecall_names);
    }

    void check_function(const Function& f, const std::set<std::string>& ecall_names) {
        check_name(f.name, f.location, "a function name", diags_);
        if (f.name.rfind("ccbox_", 0) == 0)
            diags_.error(f.location, "function names beginning with 'ccbox_' are reserved for the runtime");
        else
            check_library_name(f);
        if (f.trusted && f.dllimport)
            diags_.error(f.dllimport_location, "'dllimport' is only valid on untrusted functions (OCALLs), not on "
                                               "the ECALL " + quoted(f.name));
        check_parameter_names(f);
        const std::string owner = "function " + quoted(f.name);
        check_return_type(f);
        check_unique_names(f.params, "parameter", owner);
        DeclContext ctx{DeclContext::Kind::Parameter, &f.params, owner};
        for (const Declaration& p : f.params)
            check_declaration(p, ctx, symbols_, diags_);
        if (f.trusted && f.has_allow)
            diags_.error(f.allow_location, "'allow' is only valid on untrusted functions (OCALLs), not on the "
                                           "ECALL " + quoted(f.name));
        if (f.trusted && f.propagate_errno)
            diags_.error(f.propagate_errno_location,
                         "'propagate_errno' is only valid on untrusted functions (OCALLs), not on the ECALL " +
                             quoted(f.name));
        if (!f.trusted) {
            for (const NameRef& n : f.allow) {
                if (!ecall_names.count(n.name))
                    diags_.error(n.location, "'allow' of " + quoted(f.name) + " names " + quoted(n.name) +
                                                 ", which is not an ECALL (trusted function) of this enclave");
            }
        }
    }

    // A function of the C library headers the generated code includes can only be a
    // [dllimport] OCALL: the host calls the library's own function, and the enclave's proxy
    // is a different function that only takes the name in the enclave's code (docs/edl.md).
    // An ECALL or a host-implemented OCALL would clash with the library on one side or both.
    void check_library_name(const Function& f) {
        if (!is_c_library_function(f.name))
            return;
        const std::string lib = quoted(f.name) + " is a function of the C library: ";
        if (f.trusted)
            diags_.error(f.location, lib + "an ECALL of that name would clash with the library on both sides");
        else if (!f.dllimport)
            diags_.error(f.location, lib + "the host cannot implement an OCALL of that name; declare it "
                                           "'[dllimport]' to call the library's own function");
        else if (f.return_type.base == BaseType::Void && f.return_type.pointer_depth == 0)
            diags_.error(f.location, lib + "a '[dllimport]' OCALL of it must return a value, or its proxy would "
                                           "take the library function's own parameters and could not be told "
                                           "apart from it");
    }

    // A parameter named like a type would hide that type inside the generated proxy (which
    // uses the type's name in sizeof and casts).
    void check_parameter_names(const Function& f) {
        std::set<std::string> types;
        auto add = [&](const TypeRef& t) {
            if (!t.name.empty())
                types.insert(t.name);
        };
        add(f.return_type);
        for (const Declaration& p : f.params) {
            add(p.type);
            for (const ArrayDim& d : p.dims)
                if (!d.value)
                    types.insert(d.text);
        }
        for (const Declaration& p : f.params) {
            if (is_builtin_type_name(p.name) || symbols_.find_type(p.name) || symbols_.find_enumerator(p.name) ||
                types.count(p.name))
                diags_.error(p.location, "parameter " + quoted(p.name) + " of " + quoted(f.name) +
                                             " has the name of a type or constant it would hide in generated code");
        }
    }

    void check_return_type(const Function& f) {
        const UserType* user = nullptr;
        TypeClass c = check_type(f.return_type, symbols_, diags_);
        if (c == TypeClass::EdlStruct && f.return_type.pointer_depth == 0) {
            symbols_.classify(f.return_type, &user);
            if (user && Symbols::needs_deep_copy(*user))
                diags_.error(f.return_type.location, "struct " + quoted(user->name) +
                                                         " is deep-copied and cannot be returned by value from " +
                                                         quoted(f.name));
        }
    }

    // A deep copy that leads back to its own struct would recurse without bound on hostile
    // input, and a very deep one would exhaust the receiver's stack: EDL deep copies must be
    // finite trees of at most kMaxDeepCopyDepth levels.
    static constexpr size_t kMaxDeepCopyDepth = 16;

    // The number of struct levels below (and including) t, or -1 after an error.
    int deep_copy_height(const UserType* t, std::vector<const UserType*>& path) {
        if (auto it = heights_.find(t); it != heights_.end())
            return it->second;
        path.push_back(t);
        int height = 1;
        for (const Declaration& m : t->members) {
            if (m.type.pointer_depth != 1 ||
                !(m.attributes.has(AttrKind::Size) || m.attributes.has(AttrKind::Count)))
                continue;
            const UserType* target = nullptr;
            if (symbols_.classify(m.type, &target) != TypeClass::EdlStruct || !target ||
                !Symbols::needs_deep_copy(*target))
                continue;
            if (std::find(path.begin(), path.end(), target) != path.end()) {
                diags_.error(m.location, "deep copy of struct " + quoted(t->name) + " is recursive: member " +
                                             quoted(m.name) + " leads back to struct " + quoted(target->name) +
                                             "; recursive structures cannot be deep-copied");
                height = -1;
                continue;
            }
            if (path.size() >= kMaxDeepCopyDepth) {
                diags_.error(m.location, "deep copy through member " + quoted(m.name) + " of struct " +
                                             quoted(t->name) + " nests more than " +
                                             std::to_string(kMaxDeepCopyDepth) + " structs deep");
                height = -1;
                continue;
            }
            int below = deep_copy_height(target, path);
            height = below < 0 || height < 0 ? -1 : std::max(height, below + 1);
        }
        path.pop_back();
        heights_[t] = height;
        return height;
    }

    void check_recursive_deep_copy() {
        for (const UserType* t : program_.types) {
            std::vector<const UserType*> path;
            if (Symbols::needs_deep_copy(*t) && symbols_.find_type(t->name) == t)
                deep_copy_height(t, path);
        }
    }

    const Program& program_;
    Diagnostics& diags_;
    Symbols symbols_;
    std::map<const UserType*, int> heights_;
};

}  // namespace

void check_name(const std::string& name, const Location& location, const char* what, Diagnostics& diagnostics) {
    // Macros of the C headers the generated code uses.
    static const std::set<std::string> macros = {"errno", "NULL", "offsetof", "SIZE_MAX", "UINT64_MAX",
                                                 "UINTPTR_MAX", "assert"};
    if (is_keyword(name))
        diagnostics.error(location, quoted(name) + " cannot be used as " + what + ": it is a C or C++ keyword");
    else if (macros.count(name))
        diagnostics.error(location, quoted(name) + " cannot be used as " + what + ": it is a macro of the C library");
    else if (name.rfind("_ccb_", 0) == 0)
        diagnostics.error(location, "names beginning with '_ccb_' are reserved for generated code");
}

TypeClass check_type(const TypeRef& type, const Symbols& symbols, Diagnostics& diagnostics) {
    const UserType* user = nullptr;
    TypeClass c = symbols.classify(type, &user);
    if (c == TypeClass::Foreign && symbols.on_trust(type)) {
        diagnostics.warning(type.location, "type " + quoted(base_type_name(type)) +
                                               " is taken on trust: it is not declared in this EDL or its imports, "
                                               "and no header is included (ccbox cannot check its size or layout; "
                                               "a header must declare it for the generated code)");
    } else if (c == TypeClass::Mismatch) {
        diagnostics.error(type.location, quoted(type.name) + " is declared as " +
                                             std::string(user_type_kind_name(user->kind)) + ", not as " +
                                             (type.base == BaseType::Struct  ? "struct"
                                              : type.base == BaseType::Union ? "union"
                                                                             : "enum") +
                                             " (declared at " + where(user->location) + ")");
    }
    return c;
}

bool check_program(const Program& program, Diagnostics& diagnostics) {
    size_t before = diagnostics.count();
    ProgramChecker(program, diagnostics).run();
    return diagnostics.count() == before;
}

}  // namespace ccbox::edl
