// Walkers of callee-allocated deep [out] trees (Open Enclave's meaning of a deep [out]
// parameter, docs/edl.md "Deep copy"): the callee's tree goes into one block with the
// sender-side walkers (msr, put), and the caller rebuilds it from its own checked copy of that
// block into buffers of their own (dup); fre frees such a tree, on either side.
#include "emit_struct_internal.h"

namespace ccbox::edl::structs {

// Rebuilds the tree of n elements at *cur of r -- the caller's private copy of the block, `lim`
// bytes -- into a, every buffer in a malloc'd block of its own. Lengths come from the copied
// elements and every part must lie inside r; a buffer of length 0 arrives as NULL, whatever
// its marker said. Returns 1 when r is malformed, 2 when out of memory; a's deep pointers are
// then NULL or allocated, so that fre can release what was built.
void emit_dup(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static int " + helper("dup", n) + "(" + n +
           "* _ccb_a, size_t _ccb_n, const uint8_t* _ccb_r, size_t _ccb_lim, size_t* _ccb_cur)");
    emit_locals(w);
    w.line("uintptr_t _ccb_m = 0;");
    w.line("void* _ccb_q = NULL;");
    w.line("int _ccb_e = 0;");
    w.line("(void)_ccb_m;");
    w.line("(void)_ccb_q;");
    w.line("(void)_ccb_e;");
    w.line("if (ccbox_safe_mul(_ccb_n, sizeof(" + n + "), &_ccb_len) || _ccb_take(_ccb_lim, _ccb_cur, _ccb_len, &_ccb_at))");
    w.line("    return 1;");
    w.line("if (_ccb_len)");
    w.line("    memcpy(_ccb_a, _ccb_r + _ccb_at, _ccb_len);");
    w.line("/* the markers stay in r: no pointer of a is set before its buffer is */");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    for (const MemberPlan& m : s.members)
        if (m.kind == MemberPlan::Kind::DeepPointer)
            w.line("_ccb_a[_ccb_i]." + m.decl->name + " = NULL;");
    w.close();
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_a[_ccb_i]";
        w.line("memcpy(&_ccb_m, _ccb_r + _ccb_at + _ccb_i * sizeof(" + n + ") + offsetof(" + n + ", " + mn +
               "), sizeof _ccb_m);");
        w.line("if (_ccb_m > 1u)");
        w.line("    return 1;");
        w.open("if (_ccb_m)");
        if (m.deep) {
            const std::string& t = m.deep_name;
            w.line("_ccb_k = " + member_count(m, e) + ";");
            w.line("if (ccbox_safe_mul(_ccb_k, sizeof(" + t + "), &_ccb_len))");
            w.line("    return 1;");
            w.open("if (_ccb_len)");
            w.line("if (!(_ccb_q = malloc(_ccb_len)))");
            w.line("    return 2;");
            w.line("memset(_ccb_q, 0, _ccb_len);");
            w.line(e + "." + mn + " = (" + m.type + ")_ccb_q;");
            w.close();
            w.line("if ((_ccb_e = " + helper("dup", t) + "((" + t + "*)_ccb_q, _ccb_len ? _ccb_k : 0u, _ccb_r, _ccb_lim, _ccb_cur)) != 0)");
            w.line("    return _ccb_e;");
            w.line("_ccb_q = NULL;");
        } else {
            w.line("if (" + member_bytes_call(m, e) + " || _ccb_take(_ccb_lim, _ccb_cur, _ccb_len, &_ccb_o))");
            w.line("    return 1;");
            w.open("if (_ccb_len)");
            w.line("if (!(_ccb_q = malloc(_ccb_len)))");
            w.line("    return 2;");
            w.line("memcpy(_ccb_q, _ccb_r + _ccb_o, _ccb_len);");
            w.line(e + "." + mn + " = (" + m.type + ")_ccb_q;");
            w.close();
        }
        w.close();
    }
    w.close();
    w.line("return 0;");
    w.close();
    w.line();
}

// Frees every buffer below a's n elements (not the elements) and sets its pointer to NULL.
void emit_fre(CodeWriter& w, const StructPlan& s) {
    const std::string& n = s.name;
    w.open("static void " + helper("fre", n) + "(" + n + "* _ccb_a, size_t _ccb_n)");
    w.line("size_t _ccb_i = 0;");
    w.open("for (_ccb_i = 0; _ccb_i < _ccb_n; ++_ccb_i)");
    for (const MemberPlan& m : s.members) {
        if (m.kind != MemberPlan::Kind::DeepPointer)
            continue;
        const std::string& mn = m.decl->name;
        std::string e = "_ccb_a[_ccb_i]";
        if (m.deep) {
            w.line("if (" + e + "." + mn + ")");
            w.line("    " + helper("fre", m.deep_name) + "((" + m.deep_name + "*)" + e + "." + mn + ", " +
                   member_count(m, e) + ");");
        }
        w.line("free((void*)" + e + "." + mn + ");");
        w.line(e + "." + mn + " = NULL;");
    }
    w.close();
    w.close();
    w.line();
}

}  // namespace ccbox::edl::structs
