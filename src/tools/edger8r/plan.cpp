#include "plan.h"

#include "c_types.h"

#include <set>

namespace ccbox::edl {
namespace {

const std::optional<SizeValue>& attr_value(const Attributes& a, AttrKind k) {
    static const std::optional<SizeValue> none;
    const Attribute* attr = a.find(k);
    return attr ? attr->value : none;
}

LengthTerm term(const std::optional<SizeValue>& ref, std::string fallback) {
    LengthTerm t;
    if (ref)
        t.ref = ref;
    else
        t.expr = std::move(fallback);
    return t;
}

// The element an EDL struct-typed pointer/array refers to, if it is one.
const UserType* struct_element(const Declaration& d, const Symbols& symbols, int wanted_depth) {
    const UserType* user = nullptr;
    if (d.type.pointer_depth != wanted_depth || symbols.classify(d.type, &user) != TypeClass::EdlStruct)
        return nullptr;
    return user;
}

ParamPlan plan_param(const Declaration& d, const Symbols& symbols) {
    const Attributes& a = d.attributes;
    ParamPlan p;
    p.decl = &d;
    p.name = d.name;
    p.type = c_type(d.type);
    TypeRef local = d.type;
    if (local.pointer_depth == 0)
        local.is_const = false;
    p.local_type = c_type(local);
    bool pointer = d.type.pointer_depth > 0 || a.has(AttrKind::IsPtr);
    bool array = !d.dims.empty() || a.has(AttrKind::IsAry);
    if (array) {
        p.array_like = true;
        p.array_type = c_array_type(d);
        p.array_pointer = c_array_pointer(d);
    }
    if (!pointer && !array) {
        p.kind = ParamPlan::Kind::Value;
        p.is_bool = d.type.base == BaseType::Bool;
        p.user_struct_value = struct_element(d, symbols, 0) != nullptr;
        if (p.user_struct_value)
            p.clean_name = struct_element(d, symbols, 0)->name;
        return p;
    }
    if (a.has(AttrKind::UserCheck)) {
        p.kind = ParamPlan::Kind::UserCheck;
        return p;
    }
    bool in = a.has(AttrKind::In), out = a.has(AttrKind::Out);
    p.dir = in && out ? Direction::InOut : out ? Direction::Out : Direction::In;  // an array without one: in
    if (a.has(AttrKind::String) || a.has(AttrKind::WString)) {
        p.kind = ParamPlan::Kind::String;
        p.wide = a.has(AttrKind::WString);
        return p;
    }
    p.kind = ParamPlan::Kind::Buffer;
    const auto& size = attr_value(a, AttrKind::Size);
    const auto& count = attr_value(a, AttrKind::Count);
    if (p.array_like) {
        p.factor = term(std::nullopt, "sizeof(" + p.array_type + ")");
        p.multiplier = term(std::nullopt, "1u");
        if (const UserType* s = struct_element(d, symbols, 0); s && !d.dims.empty()) {
            p.clean = s;
            p.clean_name = s->name;
        }
        return p;
    }
    if (const UserType* s = struct_element(d, symbols, 1)) {
        if (Symbols::needs_deep_copy(*s)) {
            p.deep = s;
            p.deep_name = s->name;
            p.multiplier = term(count, "1u");
            p.factor = term(std::nullopt, "sizeof(" + s->name + ")");
            return p;
        }
        if (!size) {
            p.clean = s;
            p.clean_name = s->name;
        }
    }
    std::string element = a.has(AttrKind::IsPtr) ? "sizeof(*(" + p.type + ")0)" : "sizeof(" + c_pointee(d.type) + ")";
    if (size) {
        p.factor = term(size, "");
        p.multiplier = term(count, "1u");
    } else {
        p.factor = term(std::nullopt, element);
        p.multiplier = term(count, "1u");
    }
    return p;
}

FunctionPlan plan_function(const Function& f, uint32_t id, const Symbols& symbols, bool callee_allocated_out) {
    FunctionPlan fp;
    fp.function = &f;
    fp.id = id;
    const TypeRef& r = f.return_type;
    if (!(r.base == BaseType::Void && r.pointer_depth == 0)) {
        fp.return_type = c_type(r);
        TypeRef local = r;
        if (local.pointer_depth == 0)
            local.is_const = false;
        fp.return_local_type = c_type(local);
        fp.return_bool = r.base == BaseType::Bool && r.pointer_depth == 0;
        const UserType* user = nullptr;
        if (r.pointer_depth == 0 && symbols.classify(r, &user) == TypeClass::EdlStruct)
            fp.return_clean = user;
    }
    std::string offset = "0";
    for (const Declaration& d : f.params) {
        ParamPlan p = plan_param(d, symbols);
        fp.slot_offsets.push_back(offset);
        std::string slot = p.kind == ParamPlan::Kind::Value ? "_CCB_R8(sizeof(" + p.type + "))" : "8u";
        offset = offset == "0" ? slot : offset + " + " + slot;
        fp.params.push_back(std::move(p));
    }
    fp.input_header_size = "(size_t)(" + offset + ")";
    std::string out = fp.return_type.empty() ? "0" : "_CCB_R8(sizeof(" + fp.return_type + "))";
    fp.errno_offset = out;
    if (f.propagate_errno)
        out = out == "0" ? "8u" : out + " + 8u";
    for (ParamPlan& p : fp.params) {
        if (!callee_allocated_out || !p.deep || p.dir != Direction::Out)
            continue;
        p.callee_allocates = fp.callee_allocates = true;
        p.result_offset = out;
        out = out == "0" ? "16u" : out + " + 16u";
    }
    fp.output_header_size = "(size_t)(" + out + ")";
    return fp;
}

StructPlan plan_struct(const UserType& t, const Symbols& symbols) {
    StructPlan sp;
    sp.type = &t;
    sp.name = t.name;
    sp.deep = Symbols::needs_deep_copy(t);
    std::set<std::string> shape;
    for (const Declaration& m : t.members) {
        for (AttrKind k : {AttrKind::Size, AttrKind::Count}) {
            const auto& v = attr_value(m.attributes, k);
            if (m.type.pointer_depth > 0 && v && !v->is_literal)
                shape.insert(v->name);
        }
    }
    for (const Declaration& m : t.members) {
        MemberPlan mp;
        mp.decl = &m;
        mp.type = c_type(m.type);
        mp.is_shape = shape.count(m.name) != 0;
        const auto& size = attr_value(m.attributes, AttrKind::Size);
        const auto& count = attr_value(m.attributes, AttrKind::Count);
        if (m.type.pointer_depth > 0 && m.dims.empty()) {
            mp.pointee = c_pointee(m.type);
            mp.const_pointee = m.type.is_const && m.type.pointer_depth == 1;
            if (!size && !count) {
                mp.kind = MemberPlan::Kind::ShallowPointer;
            } else {
                mp.kind = MemberPlan::Kind::DeepPointer;
                const UserType* s = struct_element(m, symbols, 1);
                if (s && Symbols::needs_deep_copy(*s)) {
                    mp.deep = s;
                    mp.deep_name = s->name;
                    mp.multiplier = term(count, "1u");
                } else {
                    if (s && !size) {
                        mp.clean = s;
                        mp.clean_name = s->name;
                    }
                    mp.factor = size ? term(size, "") : term(std::nullopt, "sizeof(" + mp.pointee + ")");
                    mp.multiplier = term(count, "1u");
                }
            }
        } else {
            mp.kind = MemberPlan::Kind::Value;
            if (m.type.pointer_depth == 0) {
                if (const UserType* s = struct_element(m, symbols, 0)) {
                    mp.value_struct = s;
                    mp.value_struct_name = s->name;
                }
            }
        }
        sp.members.push_back(std::move(mp));
    }
    return sp;
}

}  // namespace

Plan make_plan(const Program& program, bool callee_allocated_out) {
    Symbols symbols(program);
    Plan plan;
    plan.prefix = program.name;
    for (size_t i = 0; i < program.ecalls.size(); ++i)
        plan.ecalls.push_back(plan_function(*program.ecalls[i], static_cast<uint32_t>(i), symbols,
                                             callee_allocated_out));
    for (size_t i = 0; i < program.ocalls.size(); ++i)
        plan.ocalls.push_back(plan_function(*program.ocalls[i], static_cast<uint32_t>(i), symbols,
                                             callee_allocated_out));

    // Helpers only for the structs a call can carry; every helper is declared before any is
    // defined, so declaration order will do.
    std::set<const UserType*> used;
    std::vector<const UserType*> pending;
    auto reach = [&](const TypeRef& type) {
        const UserType* user = nullptr;
        if (type.pointer_depth <= 1 && symbols.classify(type, &user) == TypeClass::EdlStruct && user &&
            used.insert(user).second)
            pending.push_back(user);
    };
    for (const Function* f : program.functions) {
        reach(f->return_type);
        for (const Declaration& d : f->params)
            reach(d.type);
    }
    while (!pending.empty()) {
        const UserType* t = pending.back();
        pending.pop_back();
        for (const Declaration& m : t->members)
            reach(m.type);
    }
    for (const UserType* t : program.types)
        if (used.count(t))
            plan.structs.push_back(plan_struct(*t, symbols));

    // The structs of callee-allocated trees also get the helpers that rebuild and free them.
    std::set<const UserType*> allocated;
    for (const auto* calls : {&plan.ecalls, &plan.ocalls})
        for (const FunctionPlan& f : *calls)
            for (const ParamPlan& p : f.params)
                if (p.callee_allocates && allocated.insert(p.deep).second)
                    pending.push_back(p.deep);
    while (!pending.empty()) {
        const UserType* t = pending.back();
        pending.pop_back();
        for (const StructPlan& sp : plan.structs)
            if (sp.type == t)
                for (const MemberPlan& m : sp.members)
                    if (m.deep && allocated.insert(m.deep).second)
                        pending.push_back(m.deep);
    }
    for (StructPlan& sp : plan.structs)
        sp.callee_allocated = allocated.count(sp.type) != 0;
    return plan;
}

}  // namespace ccbox::edl
