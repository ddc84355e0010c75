// ccbox_result_t keeps Open Enclave's oe_result_t numbering for every name they share (so code
// and logs that know OE's values read ours), and ccbox_result_str names each code.
#include <ccbox/result.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

// oe_result_t in order (../shared/reference/open-enclave.md §1.2), without the OE_ prefix.
const char* const kOpenEnclaveOrder[] = {
    "OK", "FAILURE", "BUFFER_TOO_SMALL", "INVALID_PARAMETER", "REENTRANT_ECALL", "OUT_OF_MEMORY",
    "OUT_OF_THREADS", "UNEXPECTED", "VERIFY_FAILED", "NOT_FOUND", "INTEGER_OVERFLOW", "PUBLIC_KEY_NOT_FOUND",
    "OUT_OF_BOUNDS", "OVERLAPPED_COPY", "CONSTRAINT_FAILED", "IOCTL_FAILED", "UNSUPPORTED", "READ_FAILED",
    "SERVICE_UNAVAILABLE", "ENCLAVE_ABORTING", "ENCLAVE_ABORTED", "PLATFORM_ERROR", "INVALID_CPUSVN",
    "INVALID_ISVSVN", "INVALID_KEYNAME", "DEBUG_DOWNGRADE", "REPORT_PARSE_ERROR", "MISSING_CERTIFICATE_CHAIN",
    "BUSY", "NOT_OWNER", "INVALID_SGX_CERTIFICATE_EXTENSIONS", "MEMORY_LEAK", "BAD_ALIGNMENT",
    "JSON_INFO_PARSE_ERROR", "TCB_LEVEL_INVALID", "QUOTE_PROVIDER_LOAD_ERROR", "QUOTE_PROVIDER_CALL_ERROR",
    "INVALID_REVOCATION_INFO", "INVALID_UTC_DATE_TIME", "INVALID_QE_IDENTITY_INFO", "INVALID_ENDORSEMENT",
    "UNSUPPORTED_ENCLAVE_IMAGE", "VERIFY_CRL_EXPIRED", "VERIFY_CRL_MISSING", "VERIFY_REVOKED",
    "VERIFY_FAILED_TO_FIND_VALIDITY_PERIOD", "CRYPTO_ERROR", "INCORRECT_REPORT_SIZE", "QUOTE_VERIFICATION_ERROR",
    "QUOTE_ENCLAVE_IDENTITY_VERIFICATION_FAILED", "QUOTE_ENCLAVE_IDENTITY_UNIQUEID_MISMATCH",
    "VERIFY_FAILED_AES_CMAC_MISMATCH", "CONTEXT_SWITCHLESS_OCALL_MISSED", "THREAD_CREATE_ERROR",
    "THREAD_JOIN_ERROR", "ALREADY_EXISTS", "ALREADY_INITIALIZED", "QUOTE_HASH_MISMATCH", "INVALID_SGX_SIGNING_KEY",
    "INVALID_IMAGE", "QUOTE_LIBRARY_LOAD_ERROR", "SGX_QUOTE_LIBRARY_ERROR",
};

TEST(Result, OpenEnclaveNumberingAndNames) {
    constexpr int kShared = sizeof kOpenEnclaveOrder / sizeof kOpenEnclaveOrder[0];
    ASSERT_GE(static_cast<int>(CCBOX_RESULT_COUNT_), kShared);
    for (int code = 0; code < kShared; ++code)
        EXPECT_EQ(ccbox_result_str(static_cast<ccbox_result_t>(code)), std::string("CCBOX_") + kOpenEnclaveOrder[code])
            << "code " << code;
    // Spot checks through the enumerators themselves.
    EXPECT_EQ(CCBOX_OK, 0);
    EXPECT_EQ(CCBOX_ENCLAVE_ABORTED, 20);
    EXPECT_EQ(CCBOX_INVALID_ISVSVN, 23);
    EXPECT_EQ(CCBOX_DEBUG_DOWNGRADE, 25);
    EXPECT_EQ(CCBOX_INVALID_IMAGE, 59);
}

TEST(Result, EveryCodeHasItsOwnNameAndUnknownOnesAreNamedToo) {
    std::set<std::string> names;
    for (int code = 0; code < CCBOX_RESULT_COUNT_; ++code) {
        const char* name = ccbox_result_str(static_cast<ccbox_result_t>(code));
        ASSERT_NE(name, nullptr);
        EXPECT_EQ(std::string(name).rfind("CCBOX_", 0), 0u) << name;
        EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    }
    for (int unknown : {static_cast<int>(CCBOX_RESULT_COUNT_), 1000, -1, 0x7fffffff})
        EXPECT_STREQ(ccbox_result_str(static_cast<ccbox_result_t>(unknown)), "CCBOX_UNKNOWN_RESULT") << unknown;
}

}  // namespace
