// Receiver-side walkers of deep-copied structs: validate (and point into place) a tree the
// other side sent, restore its shape after the call, and zero an [out] tree.
#include "emit_struct_internal.h"

namespace ccbox::edl::structs {
// Checks the tree of n elements at *cur in region r (of `lim` bytes): every marker is 0 or 1,
// every length is overflow-free and every part lies inside the region. With `patch`, the
// markers are replaced by pointers to the data inside the region.
void emit_chk(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static int " + helper("chk", n) + "(uint8_t* _ccb_r, size_t _ccb_lim, size_t* _ccb_cur, size_t _ccb_n, int _ccb_patch)");
    emit_locals(w);
    w.line("uintptr_t _ccb_m = 0;");
    w.line(n + "* _ccb_c = NULL;");
    w.line("if (ccbox_safe_mul(_ccb_n, sizeof(" + n + "), &_ccb_len) || _ccb_take(_ccb_lim, _ccb_cur, _ccb_len, &_ccb_o))");
    w.line("    return 1;");
    w.line("_ccb_c = (" + n + "*)(_ccb_r + _ccb_o);");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_c[_ccb_i]";
        w.line("_ccb_m = (uintptr_t)" + e + "." + mn + ";");
        w.line("if (_ccb_m > 1u)");
        w.line("    return 1;");
        w.open("if (_ccb_m)");
        if (m.deep) {
            w.line("if (_ccb_take(_ccb_lim, _ccb_cur, 0, &_ccb_at) || " + helper("chk", m.deep_name) + "(_ccb_r, _ccb_lim, _ccb_cur, " +
                   member_count(m, e) + ", _ccb_patch))");
            w.line("    return 1;");
            w.line("if (_ccb_patch)");
            w.line("    " + e + "." + mn + " = (" + m.type + ")(_ccb_r + _ccb_at);");
        } else {
            w.line("if (" + member_bytes_call(m, e) + " || _ccb_take(_ccb_lim, _ccb_cur, _ccb_len, &_ccb_o))");
            w.line("    return 1;");
            w.line("if (_ccb_patch)");
            w.line("    " + e + "." + mn + " = (" + m.type + ")(_ccb_r + _ccb_o);");
        }
        w.close();
    }
    w.close();
    w.line("return 0;");
    w.close();
    w.line();
}

// After the call: walks the tree with the shape of `src` (the validated copy the sender
// sent), cleans every element, restores its shape members and markers (the callee cannot
// change sizes or leak pointers), and cleans plain struct data.
void emit_scr(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static void " + helper("scr", n) + "(uint8_t* _ccb_r, const uint8_t* _ccb_src, size_t* _ccb_cur, size_t _ccb_n)");
    emit_locals(w);
    w.line(n + "* _ccb_c = NULL;");
    w.line("const " + n + "* _ccb_s = NULL;");
    w.line("(void)ccbox_safe_mul(_ccb_n, sizeof(" + n + "), &_ccb_len);");
    w.line("(void)_ccb_take(SIZE_MAX, _ccb_cur, _ccb_len, &_ccb_o);");
    w.line("_ccb_c = (" + n + "*)(_ccb_r + _ccb_o);");
    w.line("_ccb_s = (const " + n + "*)(_ccb_src + _ccb_o);");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    w.line(helper("clean", n) + "(&_ccb_c[_ccb_i]);");
    for (const MemberPlan& m : s.members) {
        if (!m.is_shape)
            continue;
        const std::string& mn = m.decl->name;
        w.line("memcpy(&_ccb_c[_ccb_i]." + mn + ", &_ccb_s[_ccb_i]." + mn + ", sizeof _ccb_c[_ccb_i]." + mn + ");");
    }
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_s[_ccb_i]";
        w.line("_ccb_c[_ccb_i]." + mn + " = " + e + "." + mn + ";");
        w.open("if (" + e + "." + mn + ")");
        if (m.deep) {
            w.line(helper("scr", m.deep_name) + "(_ccb_r, _ccb_src, _ccb_cur, " + member_count(m, e) + ");");
        } else {
            w.line("(void)" + member_bytes_call(m, e) + ";");
            w.line("(void)_ccb_take(SIZE_MAX, _ccb_cur, _ccb_len, &_ccb_o);");
            if (m.clean)
                emit_clean_loop(w, m.clean_name, "_ccb_r + _ccb_o", "_ccb_len");
        }
        w.close();
    }
    w.close();
    w.close();
    w.line();
}

// [out]: zeroes every element except its shape members and (patched) pointers, and all data.
void emit_zro(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static void " + helper("zro", n) + "(" + n + "* _ccb_a, size_t _ccb_n)");
    emit_locals(w);
    w.line("unsigned char _ccb_t[sizeof(" + n + ")];");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    w.line("memset(_ccb_t, 0, sizeof _ccb_t);");
    for (const MemberPlan& m : s.members) {
        if (!m.is_shape && m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        w.line("memcpy(_ccb_t + offsetof(" + n + ", " + mn + "), &_ccb_a[_ccb_i]." + mn + ", sizeof _ccb_a[_ccb_i]." + mn + ");");
    }
    w.line("memcpy(&_ccb_a[_ccb_i], _ccb_t, sizeof _ccb_t);");
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_a[_ccb_i]";
        w.open("if (" + e + "." + mn + ")");
        if (m.deep) {
            w.line(helper("zro", m.deep_name) + "((" + m.deep_name + "*)" + e + "." + mn + ", " +
                   member_count(m, e) + ");");
        } else {
            w.line("(void)" + member_bytes_call(m, e) + ";");
            w.line("memset((void*)" + e + "." + mn + ", 0, _ccb_len);");
        }
        w.close();
    }
    w.close();
    w.close();
    w.line();
}

}  // namespace ccbox::edl::structs
