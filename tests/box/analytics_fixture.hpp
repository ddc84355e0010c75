// The confidential-analytics enclave (samples/confidential-analytics) driven by a test host
// whose OCALLs the test controls: it can serve any bytes as the input envelope, in any piece
// size, lie about how many bytes it returned, and look at everything it is handed.
#pragma once

#include "analytics_u.h"
#include "box_test_support.hpp"
#include "enclave_test_support.hpp"

#include <functional>
#include <string>

namespace box_test {

struct TestHost {
    Bytes input;
    size_t at = 0;
    size_t piece = 1 << 20;       // serve at most this many bytes per read
    bool claim_one_more = false;  // answer a read with capacity + 1
    bool fail_reads = false, fail_writes = false;
    Bytes output;                 // everything the enclave wrote
    size_t reads = 0, writes = 0;
    std::function<void()> on_read, on_write;
};
extern TestHost* g_host;

struct AnalyticsEnclave {
    ccbox_enclave_t* e = nullptr;
    ccbox_result_t created = CCBOX_UNEXPECTED;
    explicit AnalyticsEnclave(ccbox::test::Backend backend);
    ~AnalyticsEnclave();
    AnalyticsEnclave(const AnalyticsEnclave&) = delete;
    AnalyticsEnclave& operator=(const AnalyticsEnclave&) = delete;
};

struct JobResult {
    int status = -1;
    std::string error;
    uint64_t rows = 0;
};

// Runs ca_run over host.input with the keys already in the enclave.
JobResult run_job(ccbox_enclave_t* e, TestHost& host, const char* result_key_id = "results");
int use_keys(ccbox_enclave_t* e, const Bytes& data_key, const Bytes& result_key);

}  // namespace box_test
