// ccbox_get_attestation_certificate_with_evidence (enclave; docs/attested-tls.md): evidence
// whose custom claims are the key's SubjectPublicKeyInfo DER, in a certificate the key signs.
// Built only into ccbox_enclave_attestation. Trust domain: enclave.
#include <ccbox/attester.h>

#include "attestation/attested_cert.hpp"

#include <cstdlib>
#include <cstring>

using namespace ccbox;
using namespace ccbox::attestation;

extern "C" ccbox_result_t ccbox_get_attestation_certificate_with_evidence(
    const ccbox_uuid_t* format_id, const char* subject_name, const uint8_t* private_key, size_t private_key_size,
    const uint8_t* public_key, size_t public_key_size, const void* optional_parameters,
    size_t optional_parameters_size, uint8_t** output_certificate, size_t* output_certificate_size) {
    if (!format_id || !subject_name || !private_key || !public_key || !output_certificate || !output_certificate_size)
        return CCBOX_INVALID_PARAMETER;
    *output_certificate = nullptr;
    *output_certificate_size = 0;
    auto priv = parse_pem_key(std::span(private_key, private_key_size), true, "private key");
    auto pub = parse_pem_key(std::span(public_key, public_key_size), false, "public key");
    if (!priv || !pub)
        return CCBOX_INVALID_PARAMETER;
    // The key that signs must be the key that is bound: a pair.
    if (EVP_PKEY_eq(priv->get(), pub->get()) != 1)
        return CCBOX_INVALID_PARAMETER;
    auto spki = spki_der(pub->get());
    if (!spki)
        return spki.error().code();

    uint8_t* evidence = nullptr;
    size_t evidence_size = 0;
    ccbox_result_t r = ccbox_get_evidence(format_id, CCBOX_EVIDENCE_FLAGS_EMBED_FORMAT_ID, spki->data(), spki->size(),
                                          optional_parameters, optional_parameters_size, &evidence, &evidence_size,
                                          nullptr, nullptr);
    if (r != CCBOX_OK)
        return r;
    auto der = make_attestation_certificate(subject_name, priv->get(), kOidOeEvidence,
                                            std::span<const uint8_t>(evidence, evidence_size));
    ccbox_free_evidence(evidence);
    if (!der)
        return der.error().code();
    auto* out = static_cast<uint8_t*>(std::malloc(der->size()));
    if (!out)
        return CCBOX_OUT_OF_MEMORY;
    std::memcpy(out, der->data(), der->size());
    *output_certificate = out;
    *output_certificate_size = der->size();
    return CCBOX_OK;
}

extern "C" void ccbox_free_attestation_certificate(uint8_t* certificate) { std::free(certificate); }
