// The remote-attestation host.
//   remoteattestation_host ENCLAVE evidence CLAIMS FILE
//       the enclave makes evidence binding CLAIMS; the host writes it to FILE
//   remoteattestation_host verify FILE COLLATERAL.json ROOT.pem [--require-production]
//       a relying party (which needs no enclave) verifies it and prints the claims
// Collateral comes from the PKI owner (`ccbox collateral --pki DIR --out COLLATERAL.json`).
#include "remoteattestation_u.h"

#include <ccbox/host.hpp>
#include <ccbox/verifier.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::vector<uint8_t> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void evidence(const std::string& image, const std::string& claims, const std::string& path) {
    const ccbox::Enclave enclave(ccbox_create_remoteattestation_enclave, image, CCBOX_ENCLAVE_FLAG_DEBUG_AUTO);
    std::vector<uint8_t> buffer(64 * 1024);
    size_t size = 0;
    int status = enclave.call_returning<int>(get_evidence, reinterpret_cast<const uint8_t*>(claims.data()),
                                             claims.size(), buffer.data(), buffer.size(), &size);
    ccbox::check(static_cast<ccbox_result_t>(status), "get_evidence");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(buffer.data()), static_cast<std::streamsize>(size));
    if (!out.flush())
        throw std::runtime_error("cannot write " + path);
    std::cout << "wrote " << size << " bytes of evidence to " << path << "\n";
}

std::string hex(const uint8_t* p, size_t n) {
    std::string s;
    char b[3];
    for (size_t i = 0; i < n; ++i) {
        std::snprintf(b, sizeof b, "%02x", p[i]);
        s += b;
    }
    return s;
}

int verify(const std::string& path, const std::string& collateral, const std::string& root, bool production) {
    const auto ev = read_all(path);
    const auto endorsements = read_all(collateral);
    const auto root_pem = read_all(root);
    const ccbox_uuid_t format = CCBOX_FORMAT_UUID_SGX_ECDSA;
    std::vector<ccbox_policy_t> policies = {{CCBOX_POLICY_TRUSTED_ROOTS, root_pem.data(), root_pem.size()}};
    if (production)
        policies.push_back({CCBOX_POLICY_REQUIRE_PRODUCTION, nullptr, 0});
    ccbox_claim_t* claims = nullptr;
    size_t count = 0;
    ccbox_result_t r = ccbox_verify_evidence(&format, ev.data(), ev.size(), endorsements.data(), endorsements.size(),
                                             policies.data(), policies.size(), &claims, &count);
    if (r != CCBOX_OK) {
        std::cerr << "verification failed: " << ccbox_result_str(r) << ": " << ccbox_verifier_last_error() << "\n";
        return 1;
    }
    std::cout << "evidence verified\n";
    for (size_t i = 0; i < count; ++i) {
        const std::string name = claims[i].name;
        const bool text = name == CCBOX_CLAIM_PLATFORM_MODE || name == CCBOX_CLAIM_ADVISORY_IDS ||
                          name == "ccbox_tcb_status" || name == CCBOX_CLAIM_CUSTOM_CLAIMS_BUFFER;
        std::cout << "  " << name << ": "
                  << (text ? std::string(reinterpret_cast<char*>(claims[i].value),
                                         strnlen(reinterpret_cast<char*>(claims[i].value), claims[i].value_size))
                           : hex(claims[i].value, claims[i].value_size))
                  << "\n";
    }
    ccbox_free_claims(claims, count);
    return 0;
}

}  // namespace

int main(int argc, const char* argv[]) {
    const std::vector<std::string> args(argv, argv + argc);
    try {
        if (argc == 5 && args[2] == "evidence") {
            evidence(args[1], args[3], args[4]);
            return 0;
        }
        if ((argc == 5 || argc == 6) && args[1] == "verify")
            return verify(args[2], args[3], args[4], argc == 6 && args[5] == "--require-production");
    } catch (const std::exception& e) {
        std::cerr << args[0] << ": " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: " << args[0] << " ENCLAVE evidence CLAIMS FILE\n       " << args[0]
              << " verify FILE COLLATERAL.json ROOT.pem [--require-production]\n";
    return 2;
}
