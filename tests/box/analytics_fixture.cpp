// The test host of analytics_fixture.hpp: the sample's OCALLs, implemented adversarially.
#include "analytics_fixture.hpp"

#include <cstring>

namespace box_test {

TestHost* g_host = nullptr;

AnalyticsEnclave::AnalyticsEnclave(ccbox::test::Backend backend) {
    created = ccbox_create_analytics_enclave(ANALYTICS_ENCLAVE, ccbox::test::create_flags(backend),
                                             ccbox::test::platform_settings(), 1, &e);
}

AnalyticsEnclave::~AnalyticsEnclave() {
    if (e)
        ccbox_terminate_enclave(e);
}

JobResult run_job(ccbox_enclave_t* e, TestHost& host, const char* result_key_id) {
    g_host = &host;
    JobResult r;
    char error[256] = {};
    EXPECT_EQ(ca_run(e, &r.status, result_key_id, error, &r.rows), CCBOX_OK);
    r.error = error;
    g_host = nullptr;
    return r;
}

int use_keys(ccbox_enclave_t* e, const Bytes& data_key, const Bytes& result_key) {
    int status = -1;
    EXPECT_EQ(ca_use_development_keys(e, &status, data_key.data(), result_key.data()), CCBOX_OK);
    return status;
}

}  // namespace box_test

extern "C" int ca_read(uint8_t* buffer, size_t capacity, size_t* size) {
    using box_test::g_host;
    if (!g_host)
        return -1;
    ++g_host->reads;
    if (g_host->fail_reads)
        return -1;
    if (g_host->on_read)
        g_host->on_read();
    size_t n = std::min({capacity, g_host->piece, g_host->input.size() - g_host->at});
    if (n)  // an empty input has no data() to copy from
        std::memcpy(buffer, g_host->input.data() + g_host->at, n);
    g_host->at += n;
    *size = g_host->claim_one_more ? capacity + 1 : n;
    return 0;
}

extern "C" int ca_write(const uint8_t* data, size_t size, int) {
    using box_test::g_host;
    if (!g_host)
        return -1;
    ++g_host->writes;
    if (g_host->fail_writes)
        return -1;
    if (g_host->on_write)
        g_host->on_write();
    g_host->output.insert(g_host->output.end(), data, data + size);
    return 0;
}
