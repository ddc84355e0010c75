// Checks of one parameter or struct/union member: its type and its attributes.
#include "ast_names.h"
#include "checker.h"

namespace ccbox::edl {
namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

class DeclChecker {
public:
    DeclChecker(const Declaration& d, const DeclContext& c, const Symbols& s, Diagnostics& diags)
        : d_(d), ctx_(c), sym_(s), diags_(diags), attrs_(d.attributes) {}

    void run() {
        check_name(d_.name, d_.location, "a name", diags_);
        cls_ = check_type(d_.type, sym_, diags_);
        if (cls_ == TypeClass::EdlStruct)
            sym_.classify(d_.type, &user_);
        check_dims();
        if (ctx_.kind != DeclContext::Kind::Parameter && !member_attributes_ok())
            return;
        bool typedef_pointer = attrs_.has(AttrKind::IsPtr);
        bool typedef_array = attrs_.has(AttrKind::IsAry);
        if (typedef_pointer || typedef_array)
            check_typedef_attributes();
        bool pointer = d_.type.pointer_depth > 0 || typedef_pointer;
        bool array = !d_.dims.empty() || typedef_array;
        if (!pointer && !array) {
            check_value();
            return;
        }
        if (ctx_.kind == DeclContext::Kind::Parameter)
            check_pointer_parameter(array);
        else
            check_pointer_member(array);
    }

private:
    void error(const Location& at, const std::string& message) { diags_.error(at, message); }
    const Location& attr_location(AttrKind k) const { return attrs_.find(k)->location; }

    void check_dims() {
        for (const ArrayDim& dim : d_.dims) {
            if (!dim.value && !sym_.find_enumerator(dim.text) && !sym_.has_includes())
                error(dim.location, "undefined constant " + quoted(dim.text) +
                                        " in array dimension (not an enumerator of this EDL, and no header is "
                                        "included that could define it)");
        }
    }

    bool member_attributes_ok() {
        bool ok = true;
        for (const Attribute& a : attrs_.list) {
            if (ctx_.kind == DeclContext::Kind::UnionMember) {
                error(a.location, "attributes are not allowed on union members");
                return false;
            }
            if (a.kind != AttrKind::Size && a.kind != AttrKind::Count) {
                error(a.location, std::string("only 'size' and 'count' are allowed on struct members, not '") +
                                      attribute_name(a.kind) + "'");
                ok = false;
            }
        }
        return ok;
    }

    void check_typedef_attributes() {
        for (AttrKind k : {AttrKind::IsPtr, AttrKind::IsAry}) {
            if (!attrs_.has(k))
                continue;
            const char* what = k == AttrKind::IsPtr ? "pointer" : "array";
            if (d_.type.pointer_depth > 0 || !d_.dims.empty())
                error(attr_location(k), std::string("'") + attribute_name(k) + "' is for a typedef'd " + what +
                                            " type; " + quoted(d_.name) + " is declared with '*' or '[]'");
            else if (cls_ != TypeClass::Foreign)
                error(attr_location(k), std::string("'") + attribute_name(k) + "' is for a typedef'd " + what +
                                            " type from a header; " + quoted(type_name(d_.type)) + " is not one");
        }
        if (attrs_.has(AttrKind::IsPtr) && attrs_.has(AttrKind::IsAry))
            error(attr_location(AttrKind::IsAry), "'isptr' and 'isary' cannot be used together");
    }

    void check_value() {
        for (const Attribute& a : attrs_.list) {
            if (a.kind == AttrKind::ReadOnly) {
                error(a.location, "'readonly' requires 'isptr'");
                continue;
            }
            error(a.location, std::string("'") + attribute_name(a.kind) + "' requires a pointer or an array; " +
                                  quoted(d_.name) + " has type " + quoted(type_name(d_.type)));
        }
        if (cls_ == TypeClass::Void)
            error(d_.location, quoted(d_.name) + " cannot have type 'void'");
        if (user_ && Symbols::needs_deep_copy(*user_))
            report_deep_copy_by_value();
    }

    void report_deep_copy_by_value() {
        if (ctx_.kind == DeclContext::Kind::Parameter)
            error(d_.location, "struct " + quoted(user_->name) + " is deep-copied (it has pointer members with "
                                   "'size' or 'count'), so it cannot be passed by value: pass " +
                                   quoted(d_.name) + " by pointer with 'in' or 'in, out'");
        else
            error(d_.location, "struct " + quoted(user_->name) + " is deep-copied and cannot be embedded by value "
                                   "in " + ctx_.owner + ": make " + quoted(d_.name) + " a pointer with 'count'");
    }

    // The element the pointer points to is void / a deep-copied struct: size rules.
    void check_pointee(bool array) {
        const Attribute* size = attrs_.find(AttrKind::Size);
        const Attribute* count = attrs_.find(AttrKind::Count);
        bool deep_pointee = user_ && Symbols::needs_deep_copy(*user_) && d_.type.pointer_depth == 1;
        if (array && user_ && Symbols::needs_deep_copy(*user_) && d_.type.pointer_depth == 0) {
            error(d_.location, "arrays of deep-copied struct " + quoted(user_->name) +
                                   " are not supported: use a pointer with 'count'");
        }
        if (array && d_.type.pointer_depth > 0 && (size || count) && ctx_.kind != DeclContext::Kind::Parameter)
            error(d_.location, "deep copy of an array of pointers is not supported");
        if (deep_pointee && size) {
            if (count)
                error(size->location, "'size' and 'count' cannot be used together on " + quoted(d_.name) +
                                          ", a pointer to deep-copied struct " + quoted(user_->name) +
                                          ": give the number of elements with 'count'");
            else
                error(size->location, "'size' cannot be used on " + quoted(d_.name) + ", a pointer to deep-copied "
                                          "struct " + quoted(user_->name) + ": give the number of elements with "
                                          "'count'");
        }
        if (cls_ == TypeClass::Void && d_.type.pointer_depth == 1 && !size && !array &&
            (ctx_.kind == DeclContext::Kind::Parameter ? has_direction() : count != nullptr))
            error(count ? count->location : d_.location,
                  quoted(d_.name) + " points to void: give its size in bytes with 'size='");
    }

    bool has_direction() const { return attrs_.has(AttrKind::In) || attrs_.has(AttrKind::Out); }

    void check_size_reference(const Attribute& a) {
        const SizeValue& v = *a.value;
        if (v.is_literal)
            return;
        const char* what = ctx_.kind == DeclContext::Kind::Parameter ? "parameter" : "member";
        const Declaration* target = nullptr;
        for (const Declaration& s : *ctx_.siblings)
            if (s.name == v.name)
                target = &s;
        if (!target) {
            error(v.location, quoted(v.name) + " in '" + attribute_name(a.kind) + "' of " + quoted(d_.name) +
                                  " is not a " + what + " of " + ctx_.owner);
            return;
        }
        if (target == &d_) {
            error(v.location, quoted(d_.name) + " cannot give its own " + attribute_name(a.kind));
            return;
        }
        TypeClass c = sym_.classify(target->type);
        if (target->type.pointer_depth > 0 || !target->dims.empty() || target->attributes.has(AttrKind::IsPtr) ||
            target->attributes.has(AttrKind::IsAry) || !is_integer_class(c))
            error(v.location, std::string("the ") + what + " " + quoted(v.name) + " given as '" +
                                  attribute_name(a.kind) + "' of " + quoted(d_.name) + " must have an integer type");
    }

    void check_sizes(bool array) {
        for (AttrKind k : {AttrKind::Size, AttrKind::Count}) {
            const Attribute* a = attrs_.find(k);
            if (!a)
                continue;
            if (array && ctx_.kind == DeclContext::Kind::Parameter && !attrs_.has(AttrKind::UserCheck))
                error(a->location, std::string("'") + attribute_name(k) + "' cannot be used on the array " +
                                       quoted(d_.name) + ": its size is fixed by its type");
            check_size_reference(*a);
        }
    }

    void check_strings(bool array) {
        const Attribute* s = attrs_.find(AttrKind::String);
        const Attribute* w = attrs_.find(AttrKind::WString);
        if (!s && !w)
            return;
        if (s && w) {
            error(w->location, "'string' and 'wstring' cannot be used together");
            return;
        }
        const Attribute& a = s ? *s : *w;
        const char* name = s ? "string" : "wstring";
        bool right_type = d_.type.pointer_depth == 1 && !array &&
                          (s ? cls_ == TypeClass::Char : cls_ == TypeClass::WChar);
        if (!right_type)
            error(a.location, std::string("'") + name + "' requires a " + (s ? "char" : "wchar_t") +
                                  " pointer, but " + quoted(d_.name) + " has type " +
                                  quoted(type_name(d_.type) + (d_.dims.empty() ? "" : "[]")));
        if (!attrs_.has(AttrKind::In)) {
            if (attrs_.has(AttrKind::Out))
                error(a.location, std::string("'") + name + "' cannot be used with 'out' alone: the length comes "
                                      "from the string passed in, so use 'in' or 'in, out'");
            else
                error(a.location, std::string("'") + name + "' requires a direction: use 'in' or 'in, out'");
        }
        const Attribute* size = attrs_.find(AttrKind::Size);
        const Attribute* count = attrs_.find(AttrKind::Count);
        if (size && count)
            error(size->location, std::string("'size' and 'count' cannot be used together on the '") + name +
                                      "' parameter " + quoted(d_.name) + ": its length is the string's");
        else if (size || count)
            error((size ? size : count)->location, std::string("'") + (size ? "size" : "count") +
                                                       "' cannot be used with '" + name + "': the length of " +
                                                       quoted(d_.name) + " is the string's");
    }

    void check_pointer_parameter(bool array) {
        bool in = attrs_.has(AttrKind::In), out = attrs_.has(AttrKind::Out);
        bool user_check = attrs_.has(AttrKind::UserCheck);
        if (user_check && (in || out))
            error(attr_location(AttrKind::UserCheck), "'user_check' cannot be used together with 'in' or 'out'");
        bool string = attrs_.has(AttrKind::String) || attrs_.has(AttrKind::WString);
        if (!in && !out && !user_check && !string && d_.dims.empty())
            error(d_.location, "pointer parameter " + quoted(d_.name) +
                                   " needs a direction ('in', 'out' or 'in, out') or 'user_check'");
        check_strings(array);
        if (const Attribute* r = attrs_.find(AttrKind::ReadOnly)) {
            if (!attrs_.has(AttrKind::IsPtr))
                error(r->location, "'readonly' requires 'isptr'");
            else if (out)
                error(r->location, "'readonly' cannot be used with 'out'");
        }
        if (out && d_.type.is_const && d_.type.pointer_depth <= 1 && !array)
            error(attr_location(AttrKind::Out), "'out' cannot be used on " + quoted(d_.name) +
                                                    ", which points to const data");
        check_sizes(array);
        if (!user_check)
            check_pointee(array);
    }

    void check_pointer_member(bool array) {
        if (array && d_.type.pointer_depth == 0 && user_ && Symbols::needs_deep_copy(*user_)) {
            report_deep_copy_by_value();
            return;
        }
        bool deep = attrs_.has(AttrKind::Size) || attrs_.has(AttrKind::Count);
        if (!deep)
            return;  // a plain pointer member: copied as a value, not deep-copied
        if (d_.type.pointer_depth == 0 && array) {
            error((attrs_.has(AttrKind::Size) ? attrs_.find(AttrKind::Size) : attrs_.find(AttrKind::Count))->location,
                  std::string("'size' and 'count' are for pointer members; ") + quoted(d_.name) +
                      " is an array of fixed size");
            return;
        }
        check_sizes(array);
        check_pointee(array);
    }

    const Declaration& d_;
    const DeclContext& ctx_;
    const Symbols& sym_;
    Diagnostics& diags_;
    const Attributes& attrs_;
    TypeClass cls_ = TypeClass::Void;
    const UserType* user_ = nullptr;
};

}  // namespace

void check_declaration(const Declaration& d, const DeclContext& context, const Symbols& symbols,
                       Diagnostics& diagnostics) {
    DeclChecker(d, context, symbols, diagnostics).run();
}

}  // namespace ccbox::edl
