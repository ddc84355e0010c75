#include "platform/sigstruct.hpp"

#include "support/hex.hpp"

#include <openssl/bn.h>

#include <algorithm>
#include <cstring>
#include <ctime>

namespace ccbox {
namespace {

using sgx::all_zero;

struct BnDeleter {
    void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct BnCtxDeleter {
    void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

BnPtr bn_from_le(std::span<const uint8_t> le) {
    std::vector<uint8_t> be(le.rbegin(), le.rend());
    return BnPtr(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
}

bool bn_to_le(const BIGNUM* bn, uint8_t* out, size_t size) {
    if (static_cast<size_t>(BN_num_bytes(bn)) > size)
        return false;
    std::vector<uint8_t> be(size);
    BN_bn2binpad(bn, be.data(), static_cast<int>(size));
    std::reverse_copy(be.begin(), be.end(), out);
    return true;
}

// Q1 = floor(S^2 / N), Q2 = floor((S^2 mod N) * S / N): the values EINIT uses to verify
// the signature with multiplications only.
bool compute_q1_q2(const BIGNUM* s, const BIGNUM* n, BIGNUM* q1, BIGNUM* q2) {
    std::unique_ptr<BN_CTX, BnCtxDeleter> ctx(BN_CTX_new());
    BnPtr s2(BN_new()), rem(BN_new()), tmp(BN_new());
    return ctx && s2 && rem && tmp && BN_sqr(s2.get(), s, ctx.get()) == 1 &&
           BN_div(q1, rem.get(), s2.get(), n, ctx.get()) == 1 && BN_mul(tmp.get(), rem.get(), s, ctx.get()) == 1 &&
           BN_div(q2, nullptr, tmp.get(), n, ctx.get()) == 1;
}

Result<sgx::Sigstruct> fill_key_material(sgx::Sigstruct sig, const RsaKey& key, std::span<const uint8_t> sig_be) {
    auto modulus = key.modulus_be(kSgxRsaBytes);
    if (modulus.empty() || sig_be.size() != kSgxRsaBytes)
        return Error(CCBOX_INVALID_SGX_SIGNING_KEY, "signature or modulus is not 384 bytes");
    std::reverse_copy(modulus.begin(), modulus.end(), sig.modulus);
    sig.exponent = sgx::kSigstructExponent;
    std::reverse_copy(sig_be.begin(), sig_be.end(), sig.signature);
    BnPtr s(BN_bin2bn(sig_be.data(), static_cast<int>(sig_be.size()), nullptr));
    BnPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    BnPtr q1(BN_new()), q2(BN_new());
    if (!s || !n || !q1 || !q2 || !compute_q1_q2(s.get(), n.get(), q1.get(), q2.get()) ||
        !bn_to_le(q1.get(), sig.q1, sizeof sig.q1) || !bn_to_le(q2.get(), sig.q2, sizeof sig.q2))
        return Error(CCBOX_CRYPTO_ERROR, "cannot compute Q1/Q2: " + openssl_error_text());
    return sig;
}

SigstructCheck pass(std::string name) { return {std::move(name), true, CCBOX_OK, {}}; }
SigstructCheck fail(std::string name, ccbox_result_t code, std::string message) {
    return {std::move(name), false, code, std::move(message)};
}

std::string hex32(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

}  // namespace

sgx::Sigstruct make_unsigned_sigstruct(const SigstructFields& f) {
    sgx::Sigstruct sig{};
    std::memcpy(sig.header, sgx::kSigstructHeader, sizeof sig.header);
    sig.vendor = f.vendor;
    sig.date = f.date;
    std::memcpy(sig.header2, sgx::kSigstructHeader2, sizeof sig.header2);
    sig.swdefined = f.swdefined;
    sig.exponent = sgx::kSigstructExponent;
    sig.miscselect = f.miscselect;
    sig.miscmask = f.miscmask;
    std::memcpy(sig.isvfamilyid, f.isvfamilyid, sizeof sig.isvfamilyid);
    sig.attributes = f.attributes;
    sig.attributemask = f.attributemask;
    std::memcpy(sig.enclavehash, f.enclavehash.data(), sizeof sig.enclavehash);
    std::memcpy(sig.isvextprodid, f.isvextprodid, sizeof sig.isvextprodid);
    sig.isvprodid = f.isvprodid;
    sig.isvsvn = f.isvsvn;
    return sig;
}

Digest256 sigstruct_signing_digest(const sgx::Sigstruct& sigstruct) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(&sigstruct);
    Sha256 h;
    h.update(bytes, sgx::kSigstructSignedPart1End);
    h.update(bytes + sgx::kSigstructSignedPart2Begin, sgx::kSigstructSignedPart2End - sgx::kSigstructSignedPart2Begin);
    return h.finish();
}

Result<sgx::Sigstruct> sign_sigstruct(const sgx::Sigstruct& unsigned_sigstruct, const RsaKey& key) {
    CCBOX_TRY(require_sgx_signing_key(key, "signing key"));
    sgx::Sigstruct sig = unsigned_sigstruct;
    // The modulus is not part of the signed message, but set it first anyway so the
    // digest is taken over exactly what will be stored.
    auto modulus = key.modulus_be(kSgxRsaBytes);
    std::reverse_copy(modulus.begin(), modulus.end(), sig.modulus);
    CCBOX_ASSIGN_OR_RETURN(auto signature, key.sign_sha256_digest(sigstruct_signing_digest(sig)));
    return fill_key_material(sig, key, signature);
}

Result<sgx::Sigstruct> attach_signature(const sgx::Sigstruct& unsigned_sigstruct, const RsaKey& public_key,
                                        std::span<const uint8_t> signature_be) {
    CCBOX_TRY(require_sgx_signing_key(public_key, "public key"));
    if (signature_be.size() != kSgxRsaBytes)
        return Error(CCBOX_INVALID_SIGNATURE, "the signature must be 384 bytes (a big-endian RSA-3072 signature), got " +
                                                  std::to_string(signature_be.size()));
    if (!public_key.verify_sha256_digest(sigstruct_signing_digest(unsigned_sigstruct), signature_be))
        return Error(CCBOX_INVALID_SIGNATURE,
                     "the signature does not verify with this public key over the digest of this image and "
                     "configuration (was the digest made from another image, configuration, key or --date?)");
    return fill_key_material(unsigned_sigstruct, public_key, signature_be);
}

Digest256 mrsigner_of(const sgx::Sigstruct& sigstruct) {
    return sha256(std::span<const uint8_t>(sigstruct.modulus, sizeof sigstruct.modulus));
}

Result<uint32_t> bcd_date(int year, int month, int day) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > kDays[month - 1] + (month == 2 && leap))
        return Error(CCBOX_INVALID_PARAMETER, "not a valid date");
    auto bcd = [](int v, int digits) {
        uint32_t out = 0;
        for (int i = 0; i < digits; ++i, v /= 10)
            out |= static_cast<uint32_t>(v % 10) << (4 * i);
        return out;
    };
    return bcd(year, 4) << 16 | bcd(month, 2) << 8 | bcd(day, 2);
}

uint32_t bcd_date_today() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return bcd_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday).value();
}

std::string format_bcd_date(uint32_t date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04x-%02x-%02x", date >> 16, (date >> 8) & 0xff, date & 0xff);
    return buf;
}

std::vector<SigstructCheck> check_sigstruct(const sgx::Sigstruct& sig) {
    std::vector<SigstructCheck> checks;
    checks.push_back(std::memcmp(sig.header, sgx::kSigstructHeader, 16) == 0
                         ? pass("header")
                         : fail("header", CCBOX_INVALID_SIGSTRUCT,
                                "HEADER is " + to_hex(sig.header) + ", expected 06000000e10000000000010000000000"));
    checks.push_back(sig.vendor == 0 || sig.vendor == sgx::kSigstructVendorIntel
                         ? pass("vendor")
                         : fail("vendor", CCBOX_INVALID_SIGSTRUCT,
                                "VENDOR is " + hex32(sig.vendor) + ", expected 0 or 0x8086"));
    checks.push_back(std::memcmp(sig.header2, sgx::kSigstructHeader2, 16) == 0
                         ? pass("header2")
                         : fail("header2", CCBOX_INVALID_SIGSTRUCT,
                                "HEADER2 is " + to_hex(sig.header2) + ", expected 01010000600000006000000001000000"));
    checks.push_back(sig.exponent == sgx::kSigstructExponent
                         ? pass("exponent")
                         : fail("exponent", CCBOX_INVALID_SIGSTRUCT,
                                "EXPONENT is " + std::to_string(sig.exponent) + ", expected 3"));
    bool reserved_ok = all_zero(sig.reserved1, sizeof sig.reserved1) && all_zero(sig.reserved2, sizeof sig.reserved2) &&
                       all_zero(sig.reserved3, sizeof sig.reserved3) && all_zero(sig.reserved4, sizeof sig.reserved4);
    checks.push_back(reserved_ok ? pass("reserved bytes")
                                 : fail("reserved bytes", CCBOX_INVALID_SIGSTRUCT, "a reserved SIGSTRUCT field is not zero"));
    bool modulus_ok = sig.modulus[kSgxRsaBytes - 1] & 0x80;
    checks.push_back(modulus_ok ? pass("modulus size")
                                : fail("modulus size", CCBOX_INVALID_SIGSTRUCT, "MODULUS is not a 3072-bit number"));

    bool signature_ok = false;
    if (modulus_ok && sig.exponent == sgx::kSigstructExponent) {
        auto key = RsaKey::from_modulus_le(sig.modulus, sig.exponent);
        std::vector<uint8_t> sig_be(std::rbegin(sig.signature), std::rend(sig.signature));
        signature_ok = key.ok() && key->verify_sha256_digest(sigstruct_signing_digest(sig), sig_be);
    }
    checks.push_back(signature_ok ? pass("signature")
                                  : fail("signature", CCBOX_INVALID_SIGNATURE,
                                         "SIGNATURE does not verify with MODULUS over the signed fields"));

    bool q_ok = false;
    {
        BnPtr s = bn_from_le(sig.signature), n = bn_from_le(sig.modulus);
        BnPtr q1(BN_new()), q2(BN_new());
        BnPtr want_q1 = bn_from_le(sig.q1), want_q2 = bn_from_le(sig.q2);
        q_ok = s && n && !BN_is_zero(n.get()) && q1 && q2 && want_q1 && want_q2 &&
               compute_q1_q2(s.get(), n.get(), q1.get(), q2.get()) && BN_cmp(q1.get(), want_q1.get()) == 0 &&
               BN_cmp(q2.get(), want_q2.get()) == 0;
    }
    checks.push_back(q_ok ? pass("q1/q2")
                          : fail("q1/q2", CCBOX_INVALID_SIGNATURE, "Q1/Q2 do not match SIGNATURE and MODULUS"));

    bool token_key = sig.attributes.flags & sgx::attr::kEinitTokenKey;
    checks.push_back(!token_key ? pass("controlled attributes")
                                : fail("controlled attributes", CCBOX_INVALID_ATTRIBUTE,
                                       "ATTRIBUTES requests EINITTOKEN_KEY, which only the launch enclave may have"));
    return checks;
}

std::vector<SigstructCheck> check_sigstruct_for_einit(const sgx::Sigstruct& sig, const EinitTarget& target) {
    auto checks = check_sigstruct(sig);
    checks.push_back(std::memcmp(sig.enclavehash, target.mrenclave.data(), 32) == 0
                         ? pass("enclavehash")
                         : fail("enclavehash", CCBOX_MEASUREMENT_MISMATCH,
                                "the enclave measures to " + to_hex(target.mrenclave) + " but ENCLAVEHASH is " +
                                    to_hex(sig.enclavehash)));
    bool flags_ok = (target.attributes.flags & sig.attributemask.flags) ==
                    (sig.attributes.flags & sig.attributemask.flags);
    bool xfrm_ok = (target.attributes.xfrm & sig.attributemask.xfrm) == (sig.attributes.xfrm & sig.attributemask.xfrm);
    std::string attr_message;
    if (!flags_ok)
        attr_message = "enclave attribute flags " + hex32(target.attributes.flags) + " do not match SIGSTRUCT flags " +
                       hex32(sig.attributes.flags) + " under mask " + hex32(sig.attributemask.flags);
    else if (!xfrm_ok)
        attr_message = "enclave XFRM " + hex32(target.attributes.xfrm) + " does not match SIGSTRUCT XFRM " +
                       hex32(sig.attributes.xfrm) + " under mask " + hex32(sig.attributemask.xfrm);
    checks.push_back(flags_ok && xfrm_ok ? pass("attributes") : fail("attributes", CCBOX_INVALID_ATTRIBUTE, attr_message));
    bool misc_ok = (target.miscselect & sig.miscmask) == (sig.miscselect & sig.miscmask);
    checks.push_back(misc_ok ? pass("miscselect")
                             : fail("miscselect", CCBOX_INVALID_ATTRIBUTE,
                                    "enclave MISCSELECT " + hex32(target.miscselect) + " does not match SIGSTRUCT " +
                                        hex32(sig.miscselect) + " under mask " + hex32(sig.miscmask)));
    bool kss = target.attributes.flags & sgx::attr::kKss;
    bool family_ok = kss || (all_zero(sig.isvfamilyid, 16) && all_zero(sig.isvextprodid, 16));
    checks.push_back(family_ok ? pass("kss")
                               : fail("kss", CCBOX_INVALID_ATTRIBUTE,
                                      "ISVFAMILYID/ISVEXTPRODID are set but the enclave does not have the KSS attribute"));
    return checks;
}

Result<void> einit_verify(const sgx::Sigstruct& sigstruct, const EinitTarget& target) {
    for (auto& check : check_sigstruct_for_einit(sigstruct, target))
        if (!check.passed)
            return Error(check.code, "EINIT refused the enclave: " + check.message);
    return ok_result();
}

}  // namespace ccbox
