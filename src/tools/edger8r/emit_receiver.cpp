// The receiving side of a call: the enclave's ECALL wrapper and the host's OCALL wrapper.
// Everything in the input buffer is validated before use: every length is recomputed from
// the parameters and overflow-checked, every buffer must lie inside the input, strings must
// end in NUL, deep-copied trees are walked and bounded. Buffers the callee sees point into
// the input copy ([in]) or into the zeroed output buffer ([out], [in, out]).
#include "emit_common.h"

#include "emit_struct_internal.h"

namespace ccbox::edl {
namespace {

using structs::helper;

class ReceiverEmitter {
public:
    ReceiverEmitter(CodeWriter& w, const FunctionPlan& f, Side side)
        : w_(w), f_(f), host_(side == Side::Host) {}

    void run() {
        w_.line("static ccbox_result_t _ccb_recv_" + f_.function->name +
                "(const uint8_t* _ccb_in, size_t _ccb_in_size, uint8_t* _ccb_out, size_t _ccb_out_size, "
                "size_t* _ccb_written)");
        w_.line("{");
        w_.indent();
        locals();
        w_.line("*_ccb_written = 0;");
        w_.open("do");
        w_.line("if ((((uintptr_t)_ccb_in) | ((uintptr_t)_ccb_out)) & 15u)");
        w_.line("    " + fail("CCBOX_BAD_ALIGNMENT"));
        if (f_.input_header_size != "(size_t)(0)") {
            w_.line("if (_ccb_in_size < " + f_.input_header_size + ")");
            w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        }
        if (f_.output_header_size != "(size_t)(0)") {
            w_.line("if (_ccb_out_size < " + f_.output_header_size + ")");
            w_.line("    " + fail("CCBOX_BUFFER_TOO_SMALL"));
        }
        if (host_) {
            w_.line("/* every byte of the answer is defined: it goes back into the enclave */");
            if (f_.output_header_size != "(size_t)(0)") {
                w_.line("memset(_ccb_out, 0, _ccb_out_size);");
            } else {  // no answer header: the buffer may be absent (NULL, 0 bytes)
                w_.line("if (_ccb_out_size)");
                w_.line("    memset(_ccb_out, 0, _ccb_out_size);");
            }
        }
        values();
        for (size_t i = 0; i < f_.params.size(); ++i)
            pointer(f_.params[i], f_.slot_offsets[i]);
        w_.line("if (_ccb_cur != _ccb_in_size)");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        call();
        results();
        send_callee_allocated();
        w_.line("*_ccb_written = _ccb_ocur;");
        w_.close(" while (0);");
        release_callee_allocated();
        w_.line("return _ccb_result;");
        w_.close();
        w_.line();
    }

private:
    std::string fail(const char* result) const { return "{ _ccb_result = " + std::string(result) + "; break; }"; }
    static std::string v(const char* what, const ParamPlan& p) { return std::string("_ccb_") + what + "_" + p.name; }
    static std::string ref(const std::string& name) { return "_ccb_v_" + name; }

    void locals() {
        w_.line("ccbox_result_t _ccb_result = CCBOX_OK;");
        w_.line("size_t _ccb_cur = " + f_.input_header_size + ", _ccb_ocur = " + f_.output_header_size +
                ", _ccb_o = 0, _ccb_c = 0;");
        w_.line("uint64_t _ccb_d = 0;");
        w_.line("(void)_ccb_in_size;");
        w_.line("(void)_ccb_out_size;");
        w_.line("(void)_ccb_o;");
        w_.line("(void)_ccb_c;");
        w_.line("(void)_ccb_d;");
        for (const ParamPlan& p : f_.params) {
            if (p.kind == ParamPlan::Kind::Value) {
                w_.line(p.local_type + " " + v("v", p) + ";");
                w_.line("memset(&" + v("v", p) + ", 0, sizeof " + v("v", p) + ");");
            } else if (p.kind == ParamPlan::Kind::UserCheck) {
                w_.line("uint64_t " + v("v", p) + " = 0;");
            } else {
                w_.line("uint8_t* " + v("p", p) + " = NULL;");
                w_.line("size_t " + v("len", p) + " = 0;");
                w_.line("(void)" + v("len", p) + ";");
                if (p.deep) {
                    w_.line("size_t " + v("n", p) + " = 0, " + v("io", p) + " = 0, " + v("oo", p) + " = 0;");
                    w_.line("(void)" + v("oo", p) + ";");
                }
                if (p.callee_allocates) {
                    w_.line("(void)" + v("io", p) + ";");
                    w_.line("uint8_t* " + v("b", p) + " = NULL; /* the block the tree goes back in */");
                    w_.line("size_t " + v("s", p) + " = 0;");
                }
            }
        }
        if (!f_.return_type.empty()) {
            w_.line(f_.return_local_type + " _ccb_ret;");
            w_.line("memset(&_ccb_ret, 0, sizeof _ccb_ret);");
        }
        if (host_ && f_.function->propagate_errno)
            w_.line("int _ccb_e = 0;");
    }

    void values() {
        for (size_t i = 0; i < f_.params.size(); ++i) {
            const ParamPlan& p = f_.params[i];
            std::string slot = "_ccb_in + " + f_.slot_offsets[i];
            if (p.kind == ParamPlan::Kind::Value && p.is_bool)
                w_.line(v("v", p) + " = (" + slot + ")[0] != 0; /* no bool but true or false */");
            else if (p.kind == ParamPlan::Kind::Value)
                w_.line("memcpy(&" + v("v", p) + ", " + slot + ", sizeof " + v("v", p) + ");");
            else if (p.kind == ParamPlan::Kind::UserCheck)
                w_.line(v("v", p) + " = _ccb_load64(" + slot + ");");
        }
    }

    void take_output(const ParamPlan& p, bool copy_in) {
        w_.line("if (_ccb_take(_ccb_out_size, &_ccb_ocur, " + v("len", p) + ", &_ccb_o))");
        w_.line("    " + fail("CCBOX_BUFFER_TOO_SMALL"));
        if (copy_in)
            w_.line("memcpy(_ccb_out + _ccb_o, " + v("p", p) + ", " + v("len", p) + ");");
        else
            w_.line("memset(_ccb_out + _ccb_o, 0, " + v("len", p) + ");");
        w_.line(v("p", p) + " = _ccb_out + _ccb_o;");
    }

    void take_input(const ParamPlan& p) {
        w_.line("if (_ccb_take(_ccb_in_size, &_ccb_cur, " + v("len", p) + ", &_ccb_o))");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        w_.line(v("p", p) + " = (uint8_t*)_ccb_in + _ccb_o;");
    }

    void pointer(const ParamPlan& p, const std::string& offset) {
        if (!p.is_pointer())
            return;
        w_.line("/* " + p.name + " */");
        w_.line("_ccb_d = _ccb_load64(_ccb_in + " + offset + ");");
        w_.open("if (_ccb_d != _CCB_NULL)");
        if (p.kind == ParamPlan::Kind::String)
            string(p);
        else if (p.callee_allocates)
            callee_allocated(p);
        else if (p.deep)
            deep(p);
        else
            buffer(p);
        w_.close();
    }

    void buffer(const ParamPlan& p) {
        w_.line("if (ccbox_safe_mul(" + render_term(p.factor, ref) + ", " + render_term(p.multiplier, ref) + ", &" +
                v("len", p) + "))");
        w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
        w_.line("if (_ccb_d != (uint64_t)" + v("len", p) + ")");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        if (has_in(p.dir))
            take_input(p);
        if (has_out(p.dir))
            take_output(p, has_in(p.dir));
    }

    void string(const ParamPlan& p) {
        const std::string unit = p.wide ? "sizeof(wchar_t)" : "1u";
        w_.line(v("len", p) + " = (size_t)_ccb_d;");
        w_.line("if (" + v("len", p) + " < " + unit + (p.wide ? " || " + v("len", p) + " % sizeof(wchar_t)" : "") + ")");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        take_input(p);
        w_.line("/* the string must end within its buffer */");
        if (p.wide)
            w_.line("if (((const wchar_t*)" + v("p", p) + ")[" + v("len", p) + " / sizeof(wchar_t) - 1] != 0)");
        else
            w_.line("if (" + v("p", p) + "[" + v("len", p) + " - 1] != 0)");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        if (has_out(p.dir))
            take_output(p, true);
    }

    // A callee-allocated [out] tree: the callee gets zeroed elements of its own, no shape.
    void callee_allocated(const ParamPlan& p) {
        w_.line(v("n", p) + " = " + render_term(p.multiplier, ref) + ";");
        w_.line("if (ccbox_safe_mul(" + v("n", p) + ", sizeof(" + p.deep_name + "), &" + v("len", p) + "))");
        w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
        w_.line("if (_ccb_d != (uint64_t)" + v("len", p) + ")");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        w_.line("if (!(" + v("p", p) + " = (uint8_t*)malloc(" + v("len", p) + " ? " + v("len", p) + " : 1u)))");
        w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
        w_.line("memset(" + v("p", p) + ", 0, " + v("len", p) + ");");
    }

    // After the call: the callee's tree is written into one block of host memory the caller
    // can take (its address and size in the answer), and the callee's buffers are freed.
    void send_callee_allocated() {
        for (const ParamPlan& p : f_.params) {
            if (!p.callee_allocates)
                continue;
            const std::string e = "(" + p.deep_name + "*)" + v("p", p), b = v("b", p), sz = v("s", p);
            w_.open("if (" + v("p", p) + ")");
            w_.line("if (" + helper("msr", p.deep_name) + "(" + e + ", " + v("n", p) + ", &" + sz + "))");
            w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
            w_.open("if (" + sz + ")");
            w_.line("if (!(" + b + " = (uint8_t*)" + (host_ ? "ccbox_allocate_enclave_memory(" : "ccbox_host_malloc(") +
                    sz + ")))");
            w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
            w_.line("_ccb_c = 0;");
            w_.line("if (" + helper("put", p.deep_name) + "(" + e + ", " + v("n", p) + ", " + b + ", &_ccb_c, 1) || _ccb_c != " +
                    sz + ")");
            w_.line("    " + fail("CCBOX_UNEXPECTED"));
            w_.close();
            w_.line("_ccb_store64(_ccb_out + " + p.result_offset + ", (uint64_t)(uintptr_t)" + b + ");");
            w_.line("_ccb_store64(_ccb_out + " + p.result_offset + " + 8u, (uint64_t)" + sz + ");");
            w_.close();
        }
    }

    // The callee's buffers are freed whatever happened (they were allocated with malloc);
    // the block is the caller's only when the call succeeded.
    void release_callee_allocated() {
        for (const ParamPlan& p : f_.params) {
            if (!p.callee_allocates)
                continue;
            w_.open("if (" + v("p", p) + ")");
            w_.line(helper("fre", p.deep_name) + "((" + p.deep_name + "*)" + v("p", p) + ", " + v("n", p) + ");");
            w_.line("free(" + v("p", p) + ");");
            w_.close();
            w_.line("if (_ccb_result != CCBOX_OK && " + v("b", p) + ")");
            w_.line(std::string("    ") + (host_ ? "ccbox_free_enclave_memory(" : "ccbox_host_free(") + v("b", p) + ");");
        }
    }

    void deep(const ParamPlan& p) {
        bool in_place = p.dir == Direction::In;
        w_.line(v("n", p) + " = " + render_term(p.multiplier, ref) + ";");
        w_.line("if (_ccb_take(_ccb_in_size, &_ccb_cur, 0, &" + v("io", p) + "))");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        w_.line("_ccb_c = 0;");
        w_.line("if (" + helper("chk", p.deep_name) + "((uint8_t*)_ccb_in + " + v("io", p) + ", _ccb_in_size - " +
                v("io", p) + ", &_ccb_c, " + v("n", p) + ", " + (in_place ? "1" : "0") + ") || _ccb_d != (uint64_t)_ccb_c)");
        w_.line("    " + fail("CCBOX_INVALID_PARAMETER"));
        w_.line("_ccb_cur = " + v("io", p) + " + _ccb_c;");
        if (in_place) {
            w_.line(v("p", p) + " = (uint8_t*)_ccb_in + " + v("io", p) + ";");
            return;
        }
        w_.line(v("len", p) + " = _ccb_c;");
        w_.line("if (_ccb_take(_ccb_out_size, &_ccb_ocur, " + v("len", p) + ", &" + v("oo", p) + "))");
        w_.line("    " + fail("CCBOX_BUFFER_TOO_SMALL"));
        w_.line("memcpy(_ccb_out + " + v("oo", p) + ", _ccb_in + " + v("io", p) + ", " + v("len", p) + ");");
        w_.line("_ccb_c = 0;");
        w_.line("if (" + helper("chk", p.deep_name) + "(_ccb_out + " + v("oo", p) + ", " + v("len", p) + ", &_ccb_c, " +
                v("n", p) + ", 1))");
        w_.line("    " + fail("CCBOX_UNEXPECTED"));
        w_.line(v("p", p) + " = _ccb_out + " + v("oo", p) + ";");
        if (p.dir == Direction::Out)
            w_.line(helper("zro", p.deep_name) + "((" + p.deep_name + "*)" + v("p", p) + ", " + v("n", p) + ");");
    }

    std::string argument(const ParamPlan& p) const {
        switch (p.kind) {
            case ParamPlan::Kind::Value:
                return v("v", p);
            case ParamPlan::Kind::UserCheck:
                if (p.array_like)
                    return "(" + v("v", p) + " ? *(" + p.array_pointer + ")(uintptr_t)" + v("v", p) + " : NULL)";
                return "(" + p.type + ")(uintptr_t)" + v("v", p);
            default:
                if (p.array_like)
                    return "(" + v("p", p) + " ? *(" + p.array_pointer + ")" + v("p", p) + " : NULL)";
                return "(" + p.type + ")" + v("p", p);
        }
    }

    void call() {
        std::string args;
        for (size_t i = 0; i < f_.params.size(); ++i)
            args += (i ? ", " : "") + argument(f_.params[i]);
        std::string name = host_ && f_.function->dllimport ? dllimport_host_name(*f_.function) : f_.function->name;
        std::string call = name + "(" + args + ");";
        w_.line(f_.return_type.empty() ? call : "_ccb_ret = " + call);
        if (host_ && f_.function->propagate_errno)
            w_.line("_ccb_e = errno;");
    }

    void results() {
        if (!f_.return_type.empty()) {
            if (f_.return_clean)
                w_.line(helper("clean", f_.return_clean->name) + "(&_ccb_ret);");
            w_.line("memcpy(_ccb_out, &_ccb_ret, sizeof _ccb_ret);");
        }
        if (host_ && f_.function->propagate_errno)
            w_.line("memcpy(_ccb_out + " + f_.errno_offset + ", &_ccb_e, sizeof _ccb_e);");
        for (const ParamPlan& p : f_.params) {
            if (!p.is_pointer() || !has_out(p.dir) || (!p.deep && !p.clean) || p.callee_allocates)
                continue;
            w_.open("if (" + v("p", p) + ")");
            if (p.deep) {
                w_.line("_ccb_c = 0;");
                w_.line(helper("scr", p.deep_name) + "(_ccb_out + " + v("oo", p) + ", _ccb_in + " + v("io", p) +
                        ", &_ccb_c, " + v("n", p) + ");");
            } else {
                w_.line("size_t _ccb_k = 0;");
                structs::emit_clean_loop(w_, p.clean_name, v("p", p), v("len", p));
            }
            w_.close();
        }
    }

    CodeWriter& w_;
    const FunctionPlan& f_;
    bool host_;
};

}  // namespace

void emit_receiver(CodeWriter& w, const FunctionPlan& f, Side side) {
    ReceiverEmitter(w, f, side).run();
}

}  // namespace ccbox::edl
