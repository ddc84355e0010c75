// Per-struct helpers in the generated .c files: padding cleaning for every EDL struct, and
// for deep-copied structs the walkers over their trees (docs/edl.md, "Deep copy").
// Sender side here; receiver side in emit_struct_receive.cpp.
#include "emit_common.h"
#include "emit_struct_internal.h"

namespace ccbox::edl {
namespace structs {

std::string helper(const char* op, const std::string& struct_name) {
    return std::string("_ccb_") + op + "_" + struct_name;
}

std::string member_bytes_call(const MemberPlan& m, const std::string& element) {
    RefRenderer ref = [&](const std::string& name) { return element + "." + name; };
    return "ccbox_safe_mul(" + render_term(m.factor, ref) + ", " + render_term(m.multiplier, ref) + ", &_ccb_len)";
}

std::string member_count(const MemberPlan& m, const std::string& element) {
    RefRenderer ref = [&](const std::string& name) { return element + "." + name; };
    return render_term(m.multiplier, ref);
}

void emit_clean_loop(CodeWriter& w, const std::string& struct_name, const std::string& at,
                     const std::string& bytes_expr) {
    w.open("for (_ccb_k = 0; _ccb_k < (" + bytes_expr + ") / sizeof(" + struct_name + "); ++_ccb_k)");
    w.line(helper("clean", struct_name) + "(&((" + struct_name + "*)(" + at + "))[_ccb_k]);");
    w.close();
}

namespace {

void emit_clean(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.line("/* Copies member by member into zeroed storage, so that no padding byte of a struct");
    w.line(" * crosses the boundary with stale memory in it. */");
    w.open("static void " + helper("clean", n) + "(" + n + "* _ccb_e)");
    w.line("unsigned char _ccb_t[sizeof(" + n + ")];");
    w.line("size_t _ccb_k = 0;");
    w.line("(void)_ccb_k;");
    for (const MemberPlan& m : s.members) {
        if (!m.value_struct)
            continue;
        const std::string& inner = m.value_struct_name;
        if (m.decl->dims.empty()) {
            w.line(helper("clean", inner) + "(&_ccb_e->" + m.decl->name + ");");
        } else {
            w.open("for (_ccb_k = 0; _ccb_k < sizeof(_ccb_e->" + m.decl->name + ") / sizeof(" + inner + "); ++_ccb_k)");
            w.line(helper("clean", inner) + "(&((" + inner + "*)_ccb_e->" + m.decl->name + ")[_ccb_k]);");
            w.close();
        }
    }
    w.line("memset(_ccb_t, 0, sizeof _ccb_t);");
    for (const MemberPlan& m : s.members) {
        const std::string& mn = m.decl->name;
        w.line("memcpy(_ccb_t + offsetof(" + n + ", " + mn + "), &_ccb_e->" + mn + ", sizeof _ccb_e->" + mn + ");");
    }
    w.line("memcpy(_ccb_e, _ccb_t, sizeof _ccb_t);");
    w.close();
    w.line();
}

}  // namespace

void emit_locals(CodeWriter& w) {
    w.line("size_t _ccb_i = 0, _ccb_o = 0, _ccb_len = 0, _ccb_at = 0, _ccb_k = 0;");
    w.line("(void)_ccb_o;");
    w.line("(void)_ccb_len;");
    w.line("(void)_ccb_at;");
    w.line("(void)_ccb_k;");
}

// Adds the bytes of a's tree (the element array and everything below it) at *cur.
void emit_msr(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static int " + helper("msr", n) + "(const " + n + "* _ccb_a, size_t _ccb_n, size_t* _ccb_cur)");
    emit_locals(w);
    w.line("if (ccbox_safe_mul(_ccb_n, sizeof(" + n + "), &_ccb_len) || _ccb_take(SIZE_MAX, _ccb_cur, _ccb_len, &_ccb_o))");
    w.line("    return 1;");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        std::string e = "_ccb_a[_ccb_i]";
        w.open("if (" + e + "." + m.decl->name + ")");
        if (m.deep) {
            w.line("if (" + helper("msr", m.deep_name) + "(" + e + "." + m.decl->name + ", " + member_count(m, e) +
                   ", _ccb_cur))");
        } else {
            w.line("if (" + member_bytes_call(m, e) + " || _ccb_take(SIZE_MAX, _ccb_cur, _ccb_len, &_ccb_o))");
        }
        w.line("    return 1;");
        w.close();
    }
    w.close();
    w.line("return 0;");
    w.close();
    w.line();
}

// Writes a's tree at *cur in region r: the elements (cleaned; only their shape members when
// !full, for [out]), pointer members replaced by 1 (present) or 0 (NULL), then the data.
void emit_put(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static int " + helper("put", n) + "(const " + n + "* _ccb_a, size_t _ccb_n, uint8_t* _ccb_r, size_t* _ccb_cur, int _ccb_full)");
    emit_locals(w);
    w.line(n + "* _ccb_c = NULL;");
    w.line("if (ccbox_safe_mul(_ccb_n, sizeof(" + n + "), &_ccb_len) || _ccb_take(SIZE_MAX, _ccb_cur, _ccb_len, &_ccb_o))");
    w.line("    return 1;");
    w.line("_ccb_c = (" + n + "*)(_ccb_r + _ccb_o);");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    w.open("if (_ccb_full)");
    w.line("memcpy(&_ccb_c[_ccb_i], &_ccb_a[_ccb_i], sizeof(" + n + "));");
    w.line(helper("clean", n) + "(&_ccb_c[_ccb_i]);");
    w.close();
    bool any_shape = false;
    for (const MemberPlan& m : s.members)
        any_shape = any_shape || m.is_shape;
    if (any_shape) {
        w.open("else");
        for (const MemberPlan& m : s.members) {
            if (!m.is_shape)
                continue;
            const std::string& mn = m.decl->name;
            w.line("memcpy(&_ccb_c[_ccb_i]." + mn + ", &_ccb_a[_ccb_i]." + mn + ", sizeof _ccb_c[_ccb_i]." + mn + ");");
        }
        w.close();
    }
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_a[_ccb_i]";
        w.line("_ccb_c[_ccb_i]." + mn + " = " + e + "." + mn + " ? (" + m.type + ")(uintptr_t)1u : NULL;");
        w.open("if (" + e + "." + mn + ")");
        if (m.deep) {
            w.line("if (" + helper("put", m.deep_name) + "(" + e + "." + mn + ", " + member_count(m, e) +
                   ", _ccb_r, _ccb_cur, _ccb_full))");
            w.line("    return 1;");
        } else {
            w.line("if (" + member_bytes_call(m, e) + " || _ccb_take(SIZE_MAX, _ccb_cur, _ccb_len, &_ccb_o))");
            w.line("    return 1;");
            w.open("if (_ccb_full)");
            w.line("memcpy(_ccb_r + _ccb_o, " + e + "." + mn + ", _ccb_len);");
            if (m.clean)
                emit_clean_loop(w, m.clean_name, "_ccb_r + _ccb_o", "_ccb_len");
            w.close();
        }
        w.close();
    }
    w.close();
    w.line("return 0;");
    w.close();
    w.line();
}

// Reads the receiver's answer for a's tree back into a: every member except the shape
// members and the deep pointers (the sender's own), then the data below each pointer.
void emit_get(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static int " + helper("get", n) + "(" + n + "* _ccb_a, size_t _ccb_n, const uint8_t* _ccb_r, size_t _ccb_lim, size_t* _ccb_cur)");
    emit_locals(w);
    w.line("unsigned char _ccb_t[sizeof(" + n + ")];");
    w.line("if (ccbox_safe_mul(_ccb_n, sizeof(" + n + "), &_ccb_len) || _ccb_take(_ccb_lim, _ccb_cur, _ccb_len, &_ccb_at))");
    w.line("    return 1;");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    w.line("memcpy(_ccb_t, _ccb_r + _ccb_at + _ccb_i * sizeof(" + n + "), sizeof(" + n + "));");
    for (const MemberPlan& m : s.members) {
        if (!m.is_shape && m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        w.line("memcpy(_ccb_t + offsetof(" + n + ", " + mn + "), &_ccb_a[_ccb_i]." + mn + ", sizeof _ccb_a[_ccb_i]." + mn + ");");
    }
    w.line("memcpy(&_ccb_a[_ccb_i], _ccb_t, sizeof(" + n + "));");
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_a[_ccb_i]";
        w.open("if (" + e + "." + mn + ")");
        if (m.deep && m.const_pointee) {
            w.line("if (" + helper("msr", m.deep_name) + "(" + e + "." + mn + ", " + member_count(m, e) +
                   ", _ccb_cur) || *_ccb_cur > _ccb_lim)");
            w.line("    return 1;");
        } else if (m.deep) {
            w.line("if (" + helper("get", m.deep_name) + "(" + e + "." + mn + ", " + member_count(m, e) +
                   ", _ccb_r, _ccb_lim, _ccb_cur))");
            w.line("    return 1;");
        } else {
            w.line("if (" + member_bytes_call(m, e) + " || _ccb_take(_ccb_lim, _ccb_cur, _ccb_len, &_ccb_o))");
            w.line("    return 1;");
            if (!m.const_pointee)
                w.line("memcpy((void*)" + e + "." + mn + ", _ccb_r + _ccb_o, _ccb_len);");
        }
        w.close();
    }
    w.close();
    w.line("return 0;");
    w.close();
    w.line();
}

}  // namespace structs

void emit_struct_helpers(CodeWriter& w, const Plan& plan) {
    using namespace structs;
    if (plan.structs.empty())
        return;
    w.line("/* ---- struct helpers ---- */");
    for (const StructPlan& s : plan.structs) {
        const std::string& n = s.name;
        w.line("static void " + helper("clean", n) + "(" + n + "* _ccb_e) _CCB_UNUSED;");
        if (!s.deep)
            continue;
        w.line("static int " + helper("msr", n) + "(const " + n + "* _ccb_a, size_t _ccb_n, size_t* _ccb_cur) _CCB_UNUSED;");
        w.line("static int " + helper("put", n) + "(const " + n +
               "* _ccb_a, size_t _ccb_n, uint8_t* _ccb_r, size_t* _ccb_cur, int _ccb_full) _CCB_UNUSED;");
        w.line("static int " + helper("get", n) + "(" + n +
               "* _ccb_a, size_t _ccb_n, const uint8_t* _ccb_r, size_t _ccb_lim, size_t* _ccb_cur) _CCB_UNUSED;");
        w.line("static int " + helper("chk", n) + "(uint8_t* _ccb_r, size_t _ccb_lim, size_t* _ccb_cur, size_t _ccb_n, int _ccb_patch) _CCB_UNUSED;");
        w.line("static void " + helper("scr", n) +
               "(uint8_t* _ccb_r, const uint8_t* _ccb_src, size_t* _ccb_cur, size_t _ccb_n) _CCB_UNUSED;");
        w.line("static void " + helper("zro", n) + "(" + n + "* _ccb_a, size_t _ccb_n) _CCB_UNUSED;");
        if (!s.callee_allocated)
            continue;
        w.line("static int " + helper("dup", n) + "(" + n +
               "* _ccb_a, size_t _ccb_n, const uint8_t* _ccb_r, size_t _ccb_lim, size_t* _ccb_cur) _CCB_UNUSED;");
        w.line("static void " + helper("fre", n) + "(" + n + "* _ccb_a, size_t _ccb_n) _CCB_UNUSED;");
    }
    w.line();
    for (const StructPlan& s : plan.structs) {
        emit_clean(w, s);
        if (!s.deep)
            continue;
        emit_msr(w, s);
        emit_put(w, s);
        emit_get(w, s);
        emit_chk(w, s);
        emit_scr(w, s);
        emit_zro(w, s);
        if (s.callee_allocated) {
            emit_dup(w, s);
            emit_fre(w, s);
        }
    }
}

}  // namespace ccbox::edl
