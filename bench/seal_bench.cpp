// Sealing inside an enclave (seal and unseal, 4 KiB and 1 MiB) next to OpenSSL AES-256-GCM on
// the host over the same sizes, in the same run. Target: ratio >= 0.5 at 1 MiB. Each seal
// derives a fresh key (EGETKEY with a new KEYID), as ccbox_seal() always does.
#include "bench_enclaves.hpp"
#include "ratio_reporter.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

extern "C" void b_host_empty(void) {}

namespace {

const ccbox::bench::BenchEnclaves* g_enclaves = nullptr;

ccbox_enclave_t* enclave(uint32_t flags) { return g_enclaves->create(flags, g_enclaves->image("bench_enclave.signed")); }

ccbox_enclave_t* sim() {
    static ccbox_enclave_t* e = enclave(CCBOX_ENCLAVE_FLAG_SIMULATE);
    return e;
}
ccbox_enclave_t* isolated() {
    static ccbox_enclave_t* e = enclave(CCBOX_ENCLAVE_FLAG_ISOLATED);
    return e;
}

constexpr int kIterations = 16;

void seal(benchmark::State& state, ccbox_enclave_t* e, bool unseal) {
    const size_t size = static_cast<size_t>(state.range(0));
    int r = 0;
    for (auto _ : state) {
        if ((unseal ? b_unseal(e, &r, size, kIterations) : b_seal(e, &r, size, kIterations)) != CCBOX_OK || r != 0)
            state.SkipWithError("sealing failed");
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kIterations * size));
}

void openssl_gcm(benchmark::State& state, bool decrypt) {
    const size_t size = static_cast<size_t>(state.range(0));
    std::vector<uint8_t> in(size, 0x5a), out(size + 16);
    uint8_t key[32] = {1}, iv[12] = {2}, tag[16] = {};
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    for (auto _ : state) {
        for (int i = 0; i < kIterations; ++i) {
            if (decrypt) {
                EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, iv);
                EVP_DecryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(size));
                EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag);
                benchmark::DoNotOptimize(EVP_DecryptFinal_ex(ctx, out.data() + len, &len));
            } else {
                EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, iv);
                EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(size));
                EVP_EncryptFinal_ex(ctx, out.data() + len, &len);
                EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
            }
        }
        benchmark::ClobberMemory();
    }
    EVP_CIPHER_CTX_free(ctx);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kIterations * size));
}

}  // namespace

int main(int argc, char** argv) {
    const ccbox::bench::BenchEnclaves enclaves(argv[0]);
    g_enclaves = &enclaves;

    ccbox::bench::RatioReporter reporter;
    for (int64_t size : {int64_t(4096), int64_t(1) << 20}) {
        const std::string n = size == 4096 ? "4KiB" : "1MiB";
        benchmark::RegisterBenchmark(("OpensslEncrypt/" + n).c_str(), [](benchmark::State& s) { openssl_gcm(s, false); })
            ->Arg(size)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("OpensslDecrypt/" + n).c_str(), [](benchmark::State& s) { openssl_gcm(s, true); })
            ->Arg(size)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("SimSeal/" + n).c_str(), [](benchmark::State& s) { seal(s, sim(), false); })
            ->Arg(size)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("SimUnseal/" + n).c_str(), [](benchmark::State& s) { seal(s, sim(), true); })
            ->Arg(size)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("IsolatedSeal/" + n).c_str(),
                                     [](benchmark::State& s) { seal(s, isolated(), false); })
            ->Arg(size)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("IsolatedUnseal/" + n).c_str(),
                                     [](benchmark::State& s) { seal(s, isolated(), true); })
            ->Arg(size)
            ->UseRealTime();
        const std::string arg = "/" + std::to_string(size);
        for (const char* backend : {"Sim", "Isolated"}) {
            reporter.add_speed_ratio(std::string(backend) + " seal " + n + " / OpenSSL AES-256-GCM",
                                     std::string(backend) + "Seal/" + n + arg, "OpensslEncrypt/" + n + arg);
            reporter.add_speed_ratio(std::string(backend) + " unseal " + n + " / OpenSSL AES-256-GCM",
                                     std::string(backend) + "Unseal/" + n + arg, "OpensslDecrypt/" + n + arg);
        }
    }
    // Real time throughout: the isolated enclave works in another process, which the host's
    // CPU time does not see.
    return ccbox::bench::run_benchmarks(argc, argv, reporter);
}
