// Fuzzes the collateral parsers: the first byte picks the collateral bundle JSON, TCB Info,
// QE Identity, a DER CRL or a DER SGX extension; the rest is the input.
#include "attestation/collateral.hpp"
#include "attestation/ossl.hpp"
#include "attestation/sgx_extension.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ccbox::attestation;
    if (size == 0)
        return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::span<const uint8_t> bytes(data + 1, size - 1);
    switch (data[0] % 5) {
    case 0:
        if (auto b = parse_collateral_bundle(text); b.ok()) {
            (void)parse_tcb_info(b->tcb_info);
            (void)parse_qe_identity(b->qe_identity);
            (void)parse_der_crl(b->pck_crl, "fuzz");
        }
        break;
    case 1: (void)parse_tcb_info(text); break;
    case 2: (void)parse_qe_identity(text); break;
    case 3: (void)parse_der_crl(bytes, "fuzz"); break;
    case 4:
        if (auto ext = parse_sgx_extension(bytes); ext.ok())
            (void)encode_sgx_extension(*ext);
        break;
    }
    return 0;
}
