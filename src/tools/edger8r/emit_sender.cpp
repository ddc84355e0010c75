// The sending side of a call: the host's ECALL proxy and the enclave's OCALL proxy. It
// measures (overflow-checked), allocates, marshals, calls, and copies the answer back into
// the caller's memory -- on the enclave side from one enclave copy of the host's answer.
#include "emit_common.h"

#include "emit_struct_internal.h"

namespace ccbox::edl {
namespace {

using structs::helper;

class SenderEmitter {
public:
    SenderEmitter(CodeWriter& w, const Plan& plan, const FunctionPlan& f, Side side)
        : w_(w), plan_(plan), f_(f), host_(side == Side::Host) {}

    void run() {
        w_.line(host_ ? ecall_proxy_signature(f_, true) : ocall_proxy_signature(f_, true));
        w_.line("{");
        w_.indent();
        locals();
        w_.open("do");
        sizes();
        allocate();
        header();
        data();
        call();
        results();
        w_.close(" while (0);");
        release();
        w_.line("return _ccb_result;");
        w_.close();
        w_.line();
    }

private:
    std::string fail(const char* result) const { return "{ _ccb_result = " + std::string(result) + "; break; }"; }
    std::string v(const char* what, const ParamPlan& p) const { return std::string("_ccb_") + what + "_" + p.name; }
    static std::string ref(const std::string& name) { return name; }

    void locals() {
        w_.line("ccbox_result_t _ccb_result = CCBOX_OK;");
        w_.line("uint8_t* _ccb_in = NULL;");
        w_.line("uint8_t* _ccb_out = NULL;");
        w_.line(host_ ? "const uint8_t* _ccb_res = NULL;" : "uint8_t* _ccb_res = NULL;");
        w_.line("size_t _ccb_in_size = " + f_.input_header_size + ";");
        w_.line("size_t _ccb_out_size = " + f_.output_header_size + ";");
        w_.line("size_t _ccb_written = 0;");
        bool deep = false;
        for (const ParamPlan& p : f_.params) {
            if (!p.is_pointer())
                continue;
            w_.line("size_t " + v("len", p) + " = 0, " + v("io", p) + " = 0, " + v("oo", p) + " = 0;");
            w_.line("(void)" + v("io", p) + ";");
            w_.line("(void)" + v("oo", p) + ";");
            if (p.deep) {
                w_.line("size_t " + v("n", p) + " = 0;");
                deep = true;
            }
            if (p.callee_allocates) {
                w_.line("uint64_t " + v("a", p) + " = 0, " + v("s", p) + " = 0; /* the callee's block */");
                w_.line("uint8_t* " + v("b", p) + " = NULL; /* our copy of it */");
                w_.line("int " + v("z", p) + " = 0; /* *" + p.name + " zeroed: ours to clean up */");
            }
        }
        if (f_.callee_allocates)
            w_.line("int _ccb_e = 0;");
        if (deep)
            w_.line("size_t _ccb_c = 0;");
        w_.line("(void)_ccb_res;");
    }

    void sizes() {
        for (const ParamPlan& p : f_.params) {
            if (!p.is_pointer())
                continue;
            w_.open("if (" + p.name + ")");
            if (p.kind == ParamPlan::Kind::String) {
                w_.line(v("len", p) + (p.wide ? " = wcslen((const wchar_t*)" : " = strlen((const char*)") + p.name + ");");
                std::string cond = "ccbox_safe_add(" + v("len", p) + ", 1u, &" + v("len", p) + ")";
                if (p.wide)
                    cond += " || ccbox_safe_mul(" + v("len", p) + ", sizeof(wchar_t), &" + v("len", p) + ")";
                w_.line("if (" + cond + ")");
            } else if (p.callee_allocates) {
                callee_allocated_size(p);
                w_.close();
                continue;
            } else if (p.deep) {
                w_.line(v("n", p) + " = " + render_term(p.multiplier, ref) + ";");
                w_.line("if (" + helper("msr", p.deep_name) + "(" + p.name + ", " + v("n", p) + ", &" + v("len", p) +
                        "))");
            } else {
                w_.line("if (ccbox_safe_mul(" + render_term(p.factor, ref) + ", " + render_term(p.multiplier, ref) +
                        ", &" + v("len", p) + "))");
            }
            w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
            // A deep [out] tree still sends its shape (sizes and which pointers are set).
            if (has_in(p.dir) || p.deep) {
                w_.line("if (_ccb_take(SIZE_MAX, &_ccb_in_size, " + v("len", p) + ", &" + v("io", p) + "))");
                w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
            }
            if (has_out(p.dir)) {
                w_.line("if (_ccb_take(SIZE_MAX, &_ccb_out_size, " + v("len", p) + ", &" + v("oo", p) + "))");
                w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
            }
            w_.close();
        }
    }

    // A callee-allocated [out] tree: only its element count travels; the caller's elements
    // are zeroed now, so that whatever happens they hold nothing stale.
    void callee_allocated_size(const ParamPlan& p) {
        w_.line(v("n", p) + " = " + render_term(p.multiplier, ref) + ";");
        w_.line("if (ccbox_safe_mul(" + v("n", p) + ", sizeof(" + p.deep_name + "), &" + v("len", p) + "))");
        w_.line("    " + fail("CCBOX_INTEGER_OVERFLOW"));
        w_.line("memset((void*)" + p.name + ", 0, " + v("len", p) + ");");
        w_.line(v("z", p) + " = 1;");
    }

    void allocate() {
        const char* alloc = host_ ? "malloc" : "ccbox_allocate_ocall_buffer";
        w_.open("if (_ccb_in_size)");
        w_.line(std::string("_ccb_in = (uint8_t*)") + alloc + "(_ccb_in_size);");
        w_.line("if (!_ccb_in)");
        w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
        w_.line("memset(_ccb_in, 0, _ccb_in_size);");
        w_.close();
        w_.open("if (_ccb_out_size)");
        w_.line(std::string("_ccb_out = (uint8_t*)") + alloc + "(_ccb_out_size);");
        w_.line("if (!_ccb_out)");
        w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
        w_.close();
    }

    void header() {
        for (size_t i = 0; i < f_.params.size(); ++i) {
            const ParamPlan& p = f_.params[i];
            std::string slot = "_ccb_in + " + f_.slot_offsets[i];
            switch (p.kind) {
                case ParamPlan::Kind::Value:
                    if (p.user_struct_value) {
                        w_.open("");
                        w_.line(p.local_type + " _ccb_t;");
                        w_.line("memcpy(&_ccb_t, &" + p.name + ", sizeof _ccb_t);");
                        w_.line(helper("clean", p.clean_name) + "(&_ccb_t);");
                        w_.line("memcpy(" + slot + ", &_ccb_t, sizeof _ccb_t);");
                        w_.close();
                    } else {
                        w_.line("memcpy(" + slot + ", &" + p.name + ", sizeof(" + p.type + "));");
                    }
                    break;
                case ParamPlan::Kind::UserCheck:
                    w_.line("_ccb_store64(" + slot + ", (uint64_t)(uintptr_t)" + p.name + ");");
                    break;
                default:
                    w_.line("_ccb_store64(" + slot + ", " + p.name + " ? (uint64_t)" + v("len", p) + " : _CCB_NULL);");
                    break;
            }
        }
    }

    void data() {
        for (const ParamPlan& p : f_.params) {
            if (!p.is_pointer() || (!has_in(p.dir) && !p.deep) || p.callee_allocates)
                continue;
            w_.open("if (" + p.name + ")");
            if (p.deep) {
                w_.line("_ccb_c = 0;");
                w_.line("if (" + helper("put", p.deep_name) + "(" + p.name + ", " + v("n", p) + ", _ccb_in + " +
                        v("io", p) + ", &_ccb_c, " + (has_in(p.dir) ? "1" : "0") + "))");
                w_.line("    " + fail("CCBOX_UNEXPECTED"));
            } else {
                w_.line("memcpy(_ccb_in + " + v("io", p) + ", " + p.name + ", " + v("len", p) + ");");
                if (p.clean) {
                    w_.line("size_t _ccb_k = 0;");
                    structs::emit_clean_loop(w_, p.clean_name, "_ccb_in + " + v("io", p), v("len", p));
                }
            }
            w_.close();
        }
    }

    void call() {
        std::string id = function_id_name(plan_, f_.function->name);
        if (host_)
            w_.line(std::string("_ccb_result = ") +
                    (f_.function->switchless ? "ccbox_switchless_call_enclave_function(_ccb_enclave, "
                                             : "ccbox_call_enclave_function(_ccb_enclave, ") +
                    id + ", _ccb_in, _ccb_in_size, _ccb_out, _ccb_out_size, &_ccb_written);");
        else
            w_.line(std::string("_ccb_result = ") +
                    (f_.function->switchless && !f_.callee_allocates ? "ccbox_switchless_call_host_function("
                                                                      : "ccbox_call_host_function(") + id +
                    ", _ccb_in, _ccb_in_size, _ccb_out, _ccb_out_size, &_ccb_written);");
        w_.line("if (_ccb_result != CCBOX_OK)");
        w_.line("    break;");
        w_.line("if (_ccb_written != _ccb_out_size)");
        w_.line("    " + fail("CCBOX_UNEXPECTED"));
        if (host_) {
            w_.line("_ccb_res = _ccb_out;");
            return;
        }
        w_.line("/* The host may still be writing: read its answer once, into enclave memory. */");
        w_.open("if (_ccb_out_size)");
        w_.line("_ccb_res = (uint8_t*)malloc(_ccb_out_size);");
        w_.line("if (!_ccb_res)");
        w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
        w_.line("memcpy(_ccb_res, _ccb_out, _ccb_out_size);");
        w_.close();
    }

    void results() {
        if (!f_.return_type.empty()) {
            w_.line("if (_ccb_retval)");
            if (f_.return_bool)
                w_.line("    *_ccb_retval = _ccb_res[0] != 0; /* no bool but true or false */");
            else
                w_.line("    memcpy(_ccb_retval, _ccb_res, sizeof(*_ccb_retval));");
        }
        if (f_.function->propagate_errno) {
            w_.open("");
            w_.line("int _ccb_e = 0;");
            w_.line("memcpy(&_ccb_e, _ccb_res + " + f_.errno_offset + ", sizeof _ccb_e);");
            w_.line("errno = _ccb_e;");
            w_.close();
        }
        for (const ParamPlan& p : f_.params) {
            if (!p.is_pointer() || !has_out(p.dir))
                continue;
            if (p.callee_allocates) {
                receive_callee_allocated(p);
                continue;
            }
            w_.open("if (" + p.name + ")");
            std::string at = "_ccb_res + " + v("oo", p);
            if (p.deep) {
                w_.line("_ccb_c = 0;");
                w_.line("if (" + helper("get", p.deep_name) + "(" + p.name + ", " + v("n", p) + ", " + at + ", " +
                        v("len", p) + ", &_ccb_c))");
                w_.line("    " + fail("CCBOX_UNEXPECTED"));
            } else {
                w_.line("memcpy((void*)" + p.name + ", " + at + ", " + v("len", p) + ");");
                if (p.kind == ParamPlan::Kind::String) {
                    w_.line("/* whatever came back, the string stays terminated within its buffer */");
                    if (p.wide)
                        w_.line("((wchar_t*)" + p.name + ")[" + v("len", p) + " / sizeof(wchar_t) - 1] = 0;");
                    else
                        w_.line("((char*)" + p.name + ")[" + v("len", p) + " - 1] = 0;");
                }
            }
            w_.close();
        }
    }

    // The callee's tree arrives as a block in host memory ({address, size} in the answer):
    // copied once into memory of ours, the block is given back, and only the copy is checked
    // and rebuilt into *p, buffer by buffer (docs/edl.md, "Deep copy").
    void receive_callee_allocated(const ParamPlan& p) {
        const std::string a = v("a", p), sz = v("s", p), b = v("b", p);
        const char* bad = host_ ? "CCBOX_UNEXPECTED" : "CCBOX_INVALID_PARAMETER";
        w_.line("/* " + p.name + ": the tree the callee allocated */");
        w_.line(a + " = _ccb_load64(_ccb_res + " + p.result_offset + ");");
        w_.line(sz + " = _ccb_load64(_ccb_res + " + p.result_offset + " + 8u);");
        w_.line("if (!" + p.name + " && (" + a + " || " + sz + "))");
        w_.line("    " + fail(bad));
        w_.line("/* a block exactly when there are elements */");
        w_.line("if (" + p.name + " && ((" + a + " == 0) != (" + sz + " == 0) || (" + sz + " == 0) != (" + v("len", p) +
                " == 0)))");
        w_.line("    " + fail(bad));
        w_.open("if (" + sz + ")");
        if (host_) {
            w_.line("if (!(" + b + " = (uint8_t*)malloc((size_t)" + sz + ")))");
            w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
            w_.line("if (ccbox_receive_enclave_memory(_ccb_enclave, " + a + ", (size_t)" + sz + ", " + b +
                    ") != CCBOX_OK)");
            w_.line("    " + fail(bad));
            w_.line(a + " = 0; /* received and freed */");
        } else {
            w_.line("if (!ccbox_is_outside_enclave((const void*)(uintptr_t)" + a + ", (size_t)" + sz + "))");
            w_.line("    " + fail(bad));
            w_.line("if (!(" + b + " = (uint8_t*)malloc((size_t)" + sz + ")))");
            w_.line("    " + fail("CCBOX_OUT_OF_MEMORY"));
            w_.line("memcpy(" + b + ", (const void*)(uintptr_t)" + a + ", (size_t)" + sz + "); /* read once */");
        }
        w_.line("_ccb_c = 0;");
        w_.line("if (" + helper("chk", p.deep_name) + "(" + b + ", (size_t)" + sz + ", &_ccb_c, " + v("n", p) +
                ", 0) || _ccb_c != (size_t)" + sz + ")");
        w_.line("    " + fail(bad));
        w_.line("_ccb_c = 0;");
        w_.line("if ((_ccb_e = " + helper("dup", p.deep_name) + "(" + p.name + ", " + v("n", p) + ", " + b +
                ", (size_t)" + sz + ", &_ccb_c)) != 0)");
        w_.line("    { _ccb_result = _ccb_e == 2 ? CCBOX_OUT_OF_MEMORY : " + std::string(bad) + "; break; }");
        w_.close();
    }

    // After the call: a callee-allocated tree is all the caller's or, on failure, none of it;
    // the callee's block goes back to whoever can free it.
    void release_callee_allocated() {
        for (const ParamPlan& p : f_.params) {
            if (!p.callee_allocates)
                continue;
            w_.open("if (_ccb_result != CCBOX_OK && " + v("z", p) + ")");
            w_.line(helper("fre", p.deep_name) + "(" + p.name + ", " + v("n", p) + ");");
            w_.line("memset((void*)" + p.name + ", 0, " + v("len", p) + ");");
            w_.close();
            w_.line("free(" + v("b", p) + ");");
            w_.line("if (" + v("a", p) + ")");
            if (host_)
                w_.line("    (void)ccbox_receive_enclave_memory(_ccb_enclave, " + v("a", p) + ", 0, NULL);");
            else
                w_.line("    ccbox_host_free((void*)(uintptr_t)" + v("a", p) + ");");
        }
    }

    void release() {
        release_callee_allocated();
        if (host_) {
            w_.line("free(_ccb_out);");
            w_.line("free(_ccb_in);");
            return;
        }
        w_.line("free(_ccb_res);");
        w_.line("/* ocall buffers are released in reverse order of allocation */");
        w_.line("if (_ccb_out)");
        w_.line("    ccbox_free_ocall_buffer(_ccb_out);");
        w_.line("if (_ccb_in)");
        w_.line("    ccbox_free_ocall_buffer(_ccb_in);");
    }

    CodeWriter& w_;
    const Plan& plan_;
    const FunctionPlan& f_;
    bool host_;
};

}  // namespace

void emit_sender(CodeWriter& w, const Plan& plan, const FunctionPlan& f, Side side) {
    SenderEmitter(w, plan, f, side).run();
}

}  // namespace ccbox::edl
