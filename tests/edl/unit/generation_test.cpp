// Properties of the generated text (which files, ids, tables, signatures); whether it
// compiles is checked by the edl_compile.* tests.
#include "test_support.h"

#include <gtest/gtest.h>

namespace {

using edl_unit::compile;
using edl_unit::Source;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

const char* kEdl = R"(enclave {
    include "types.h"
    struct S { size_t n; [count=n] int* p; };
    trusted {
        public int add(int a, int b);
        int secret([in, size=len] const uint8_t* buf, size_t len);
        public void take([in, out, count=1] S* s) transition_using_threads;
    };
    untrusted {
        void log([in, string] const char* msg) allow(secret, add);
        long now(void) propagate_errno;
    };
};)";

TEST(Generation, FiveFilesForBothSides) {
    auto r = compile(kEdl);
    ASSERT_TRUE(r.ok) << r.messages();
    std::vector<std::string> names;
    for (const auto& f : r.files)
        names.push_back(f.name + (f.trusted_side ? " t" : " u"));
    EXPECT_EQ(names, (std::vector<std::string>{"t_args.h t", "t_t.h t", "t_t.c t", "t_args.h u", "t_u.h u", "t_u.c u"}));
}

TEST(Generation, SidesAndHeaderOnly) {
    Source s;
    s.main = kEdl;
    s.untrusted = false;
    auto t = compile(s);
    ASSERT_EQ(t.files.size(), 3u);
    EXPECT_TRUE(t.file("t_u.c").empty());
    s.untrusted = true;
    s.trusted = false;
    s.header_only = true;
    auto u = compile(s);
    ASSERT_EQ(u.files.size(), 2u);
    EXPECT_FALSE(u.file("t_u.h").empty());
}

TEST(Generation, ArgsHeaderHasTypesIncludesAndTwoIdSpaces) {
    auto r = compile(kEdl);
    std::string args = r.file("t_args.h");
    EXPECT_TRUE(contains(args, "#include \"types.h\""));
    EXPECT_TRUE(contains(args, "typedef struct S {"));
    EXPECT_TRUE(contains(args, "    int* p;"));
    EXPECT_TRUE(contains(args, "t_fcn_id_add = 0,"));
    EXPECT_TRUE(contains(args, "t_fcn_id_secret = 1,"));
    EXPECT_TRUE(contains(args, "t_fcn_id_take = 2,"));
    EXPECT_TRUE(contains(args, "t_ecall_count = 3"));
    EXPECT_TRUE(contains(args, "t_fcn_id_log = 0,"));
    EXPECT_TRUE(contains(args, "t_fcn_id_now = 1,"));
    EXPECT_TRUE(contains(args, "t_ocall_count = 2"));
}

TEST(Generation, Signatures) {
    auto r = compile(kEdl);
    std::string u = r.file("t_u.h"), t = r.file("t_t.h");
    EXPECT_TRUE(contains(u, "ccbox_result_t add(ccbox_enclave_t* enclave, int* retval, int a, int b);"));
    EXPECT_TRUE(contains(u, "ccbox_result_t take(ccbox_enclave_t* enclave, S* s);"));
    EXPECT_TRUE(contains(u, "void log(const char* msg);"));
    EXPECT_TRUE(contains(u, "long now(void);"));
    EXPECT_TRUE(contains(u, "ccbox_result_t ccbox_create_t_enclave(const char* path, uint32_t flags, "
                            "const ccbox_enclave_setting_t* settings,"));
    EXPECT_TRUE(contains(u, "extern const ccbox_ocall_func_t t_ocall_function_table[];"));
    EXPECT_TRUE(contains(t, "int add(int a, int b);"));
    EXPECT_TRUE(contains(t, "int secret(const uint8_t* buf, size_t len);  /* private */"));
    EXPECT_TRUE(contains(t, "ccbox_result_t now(long* retval);"));
    EXPECT_TRUE(contains(t, "ccbox_result_t log(const char* msg);"));
    EXPECT_TRUE(contains(t, "#include <ccbox/enclave.h>"));
    EXPECT_TRUE(contains(u, "#include <ccbox/host.h>"));
    EXPECT_TRUE(contains(u, "extern \"C\" {"));
}

TEST(Generation, ProxyParameterNamesDoNotCollide) {
    auto r = compile("enclave { trusted { public int f(int enclave, int retval); }; };");
    ASSERT_TRUE(r.ok) << r.messages();
    EXPECT_TRUE(contains(r.file("t_u.h"),
                         "ccbox_result_t f(ccbox_enclave_t* _ccb_enclave, int* _ccb_retval, int enclave, int retval);"));
}

// [dllimport]: the host's wrapper calls the library's own function (X_u.h does not declare
// it); the enclave's proxy is ccbox_dllimport_<name>, callable by the OCALL's name.
TEST(Generation, DllimportOcallCallsTheHostLibrary) {
    auto r = compile(
        "enclave { untrusted { [cdecl, dllimport] void* memccpy([in, out, size=len] void* dest, "
        "[in, size=len] const void* src, int val, size_t len); }; };");
    ASSERT_TRUE(r.ok) << r.messages();
    EXPECT_FALSE(contains(r.file("t_u.h"), "void* memccpy(void* dest, const void* src, int val, size_t len);"));
    const std::pair<const char*, const char*> expected[] = {
        {"t_u.h", "/* void* memccpy(void* dest, const void* src, int val, size_t len): [dllimport]"},
        {"t_u.c", "extern void* _ccb_dllimport_memccpy(void* dest, const void* src, int val, size_t len) "
                  "__asm__(\"memccpy\");"},
        {"t_u.c", "_ccb_ret = _ccb_dllimport_memccpy((void*)_ccb_p_dest, (const void*)_ccb_p_src, _ccb_v_val, "
                  "_ccb_v_len);"},
        {"t_t.h", "ccbox_result_t ccbox_dllimport_memccpy(void** retval, void* dest, const void* src, int val, "
                  "size_t len);  /* dllimport */"},
        {"t_t.h", "inline ccbox_result_t memccpy(void** _ccb_retval, void* dest, const void* src, int val, "
                  "size_t len) {"},
        {"t_t.h", "return ccbox_dllimport_memccpy(_ccb_retval, dest, src, val, len);"},
        {"t_t.h", "#define memccpy ccbox_dllimport_memccpy"},
        {"t_t.c", "#undef memccpy"},
        {"t_t.c", "ccbox_result_t ccbox_dllimport_memccpy(void** _ccb_retval, void* dest,"},
        {"t_t.c", "{NULL, 0u, \"memccpy\"},"},
    };
    for (const auto& [file, text] : expected)
        EXPECT_TRUE(contains(r.file(file), text)) << file << " lacks: " << text;
}

TEST(Generation, EnclaveTables) {
    auto r = compile(kEdl);
    std::string c = r.file("t_t.c");
    EXPECT_TRUE(contains(c, "{_ccb_recv_add, CCBOX_ECALL_FLAG_PUBLIC, \"add\"},"));
    EXPECT_TRUE(contains(c, "{_ccb_recv_secret, 0u, \"secret\"},"));
    EXPECT_TRUE(contains(c, "const size_t ccbox_ecall_table_size = 3;"));
    EXPECT_TRUE(contains(c, "static const uint32_t _ccb_allow_log[] = {t_fcn_id_secret, t_fcn_id_add};"));
    EXPECT_TRUE(contains(c, "{NULL, 0u, \"now\"},"));
    EXPECT_TRUE(contains(c, "const size_t ccbox_ocall_table_size = 2;"));
    EXPECT_TRUE(contains(c, "ccbox_allocate_ocall_buffer"));
    EXPECT_TRUE(contains(c, "errno = _ccb_e;"));
    EXPECT_TRUE(contains(r.file("t_u.c"), "_ccb_e = errno;"));
}

TEST(Generation, EmptyEdlStillHasTables) {
    auto r = compile("enclave { };");
    ASSERT_TRUE(r.ok);
    std::string c = r.file("t_t.c");
    EXPECT_TRUE(contains(c, "const ccbox_ecall_info_t ccbox_ecall_table[] = {"));
    EXPECT_TRUE(contains(c, "const size_t ccbox_ecall_table_size = 0;"));
    EXPECT_TRUE(contains(c, "const size_t ccbox_ocall_table_size = 0;"));
    EXPECT_TRUE(contains(r.file("t_u.c"), "ccbox_create_enclave(path, flags, settings, setting_count, NULL, 0u, enclave)"));
}

TEST(Generation, ReceiverChecksEverythingItIsGiven) {
    auto r = compile(kEdl);
    std::string c = r.file("t_t.c");
    EXPECT_TRUE(contains(c, "ccbox_safe_mul((size_t)(_ccb_v_len), 1u, &_ccb_len_buf)"));
    EXPECT_TRUE(contains(c, "if (_ccb_d != (uint64_t)_ccb_len_buf)"));
    EXPECT_TRUE(contains(c, "if (_ccb_take(_ccb_in_size, &_ccb_cur, _ccb_len_buf, &_ccb_o))"));
    EXPECT_TRUE(contains(c, "if (_ccb_cur != _ccb_in_size)"));
    EXPECT_TRUE(contains(c, "_ccb_chk_S("));
    EXPECT_TRUE(contains(c, "_ccb_scr_S("));
}

// A deep [out] struct: ccbox-edger8r takes the tree's shape from the caller; oeedger8r gives it
// Open Enclave's meaning, the callee allocates (docs/edl.md, "Callee-allocated deep [out]").
TEST(Generation, DeepOutIsCallerShapedOrCalleeAllocated) {
    const std::string edl = R"(enclave {
        struct D { size_t size; [size=size] uint8_t* data; };
        trusted { public int get([out] D* d); };
        untrusted { int put([out] D* d) transition_using_threads; };
    };)";
    auto ccbox = compile(edl);
    ASSERT_TRUE(ccbox.ok) << ccbox.messages();
    EXPECT_TRUE(contains(ccbox.file("t_t.c"), "_ccb_zro_D("));
    EXPECT_FALSE(contains(ccbox.file("t_t.c"), "_ccb_dup_D"));
    EXPECT_TRUE(contains(ccbox.file("t_t.c"), "ccbox_switchless_call_host_function(t_fcn_id_put"));

    Source s;
    s.main = edl;
    s.openenclave = true;
    auto oe = compile(s);
    ASSERT_TRUE(oe.ok) << oe.messages();
    std::string t = oe.file("t_t.c"), u = oe.file("t_u.c");
    // ECALL: the enclave writes the tree into host memory, the host proxy takes it
    EXPECT_TRUE(contains(t, "ccbox_host_malloc(_ccb_s_d)"));
    EXPECT_TRUE(contains(t, "_ccb_fre_D((D*)_ccb_p_d, _ccb_n_d);"));
    EXPECT_TRUE(contains(u, "ccbox_receive_enclave_memory(_ccb_enclave, _ccb_a_d, (size_t)_ccb_s_d, _ccb_b_d)"));
    EXPECT_TRUE(contains(u, "_ccb_dup_D(d, _ccb_n_d, _ccb_b_d, (size_t)_ccb_s_d, &_ccb_c)"));
    // OCALL: the host allocates the block for the enclave, which checks it and reads it once
    EXPECT_TRUE(contains(u, "ccbox_allocate_enclave_memory(_ccb_s_d)"));
    EXPECT_TRUE(contains(t, "if (!ccbox_is_outside_enclave((const void*)(uintptr_t)_ccb_a_d, (size_t)_ccb_s_d))"));
    EXPECT_TRUE(contains(t, "memcpy(_ccb_b_d, (const void*)(uintptr_t)_ccb_a_d, (size_t)_ccb_s_d); /* read once */"));
    // and the block needs the OCALL's own thread: no switchless call
    EXPECT_TRUE(contains(t, "ccbox_call_host_function(t_fcn_id_put"));
    EXPECT_FALSE(contains(t, "ccbox_switchless_call_host_function"));
}

TEST(Generation, IdenticalInputGivesIdenticalOutput) {
    auto a = compile(kEdl), b = compile(kEdl);
    ASSERT_EQ(a.files.size(), b.files.size());
    for (size_t i = 0; i < a.files.size(); ++i)
        EXPECT_EQ(a.files[i].contents, b.files[i].contents);
}

}  // namespace
