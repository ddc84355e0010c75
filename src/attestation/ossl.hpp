// OpenSSL ownership types and the ECDSA P-256 operations of DCAP (raw r‖s signatures, raw x‖y
// public keys, X.509 and CRLs in PEM or DER). Only libcrypto: no files, no clock, no sockets,
// so the verifier built on it can also be compiled for enclaves, where libcrypto.a links.
#pragma once

#include "support/result.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ccbox::attestation {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct CrlFree { void operator()(X509_CRL* p) const { X509_CRL_free(p); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Crl = std::unique_ptr<X509_CRL, CrlFree>;

using RawSignature = std::array<uint8_t, 64>;  // r ‖ s, big-endian, 32 bytes each
using RawPublicKey = std::array<uint8_t, 64>;  // x ‖ y, big-endian, without the 0x04 prefix

// Parses a raw P-256 point; fails if it is not on the curve.
Result<Pkey> p256_public_key(std::span<const uint8_t, 64> xy);
// The raw x ‖ y of a P-256 key.
Result<RawPublicKey> p256_raw_public_key(EVP_PKEY* key);
// A P-256 private key from a 32-byte big-endian scalar (1 ≤ d < n).
Result<Pkey> p256_private_key(std::span<const uint8_t, 32> scalar);
Result<Pkey> p256_generate();

// ECDSA-SHA256 over `message` with a raw r‖s signature.
bool ecdsa_p256_verify(EVP_PKEY* key, std::span<const uint8_t> message, std::span<const uint8_t, 64> rs);
Result<RawSignature> ecdsa_p256_sign(EVP_PKEY* key, std::span<const uint8_t> message);

// Every certificate in a PEM text, in order; `what` names the text in errors.
Result<std::vector<Cert>> parse_pem_certificates(std::string_view pem, std::string_view what);
Result<Cert> parse_der_certificate(std::span<const uint8_t> der, std::string_view what);
Result<Crl> parse_der_crl(std::span<const uint8_t> der, std::string_view what);
std::string certificate_pem(X509* cert);
std::vector<uint8_t> certificate_der(X509* cert);

// ASN1_TIME as seconds since the epoch (UTC).
Result<int64_t> asn1_time_seconds(const ASN1_TIME* time, std::string_view what);
// The subject or issuer name as one line ("CN=..., O=...").
std::string name_line(const X509_NAME* name);

// Days since 1970-01-01 of a proleptic Gregorian date (no libc: usable in enclaves).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace ccbox::attestation
