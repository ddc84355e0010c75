#include "support/rsa_key.hpp"

#include "support/file_io.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>

namespace ccbox {
namespace {

template <typename T, void (*Free)(T*)>
struct OsslDeleter {
    void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, OsslDeleter<BIGNUM, BN_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslDeleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslDeleter<OSSL_PARAM, OSSL_PARAM_free>>;

const char kHowToMakeKey[] =
    "; make one with `ccbox keygen -o KEY.pem` (or `openssl genrsa -3 -out KEY.pem 3072`)";

BnPtr get_bn_param(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key, name, &bn);
    return BnPtr(bn);
}

std::string read_bio(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(len));
}

}  // namespace

std::string openssl_error_text() {
    unsigned long err = ERR_get_error();
    ERR_clear_error();
    if (err == 0)
        return "unknown OpenSSL error";
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    return buf;
}

void RsaKey::PkeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

Result<RsaKey> RsaKey::generate_sgx_key() {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    BnPtr e(BN_new());
    if (!ctx || !e || BN_set_word(e.get(), 3) != 1 || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kSgxRsaBits) != 1 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "cannot set up RSA key generation: " + openssl_error_text());
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &raw) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "RSA key generation failed: " + openssl_error_text());
    RsaKey key;
    key.key_.reset(raw, PkeyDeleter{});
    key.has_private_ = true;
    return key;
}

Result<RsaKey> RsaKey::from_pem(std::span<const uint8_t> pem, const std::string& origin, bool allow_public_only) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        return Error(CCBOX_OUT_OF_MEMORY, "cannot allocate a BIO");
    RsaKey key;
    EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (raw) {
        key.has_private_ = true;
    } else if (allow_public_only) {
        ERR_clear_error();
        BioPtr bio2(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
        raw = PEM_read_bio_PUBKEY(bio2.get(), nullptr, nullptr, nullptr);
    }
    if (!raw) {
        ERR_clear_error();
        return Error(CCBOX_INVALID_SGX_SIGNING_KEY,
                     origin + ": not a PEM " + (allow_public_only ? "RSA key" : "RSA private key") + kHowToMakeKey);
    }
    key.key_.reset(raw, PkeyDeleter{});
    if (EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA)
        return Error(CCBOX_INVALID_SGX_SIGNING_KEY, origin + ": the key is not an RSA key" + std::string(kHowToMakeKey));
    return key;
}

Result<RsaKey> RsaKey::load_pem_file(const std::string& path, bool allow_public_only) {
    CCBOX_ASSIGN_OR_RETURN(Bytes pem, read_file(path, 1 << 20));
    return from_pem(pem, path, allow_public_only);
}

Result<RsaKey> RsaKey::from_modulus_le(std::span<const uint8_t> modulus_le, uint32_t exponent) {
    std::vector<uint8_t> be(modulus_le.rbegin(), modulus_le.rend());
    BnPtr n(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
    BnPtr e(BN_new());
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!n || !e || !bld || BN_set_word(e.get(), exponent) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "cannot build RSA parameters: " + openssl_error_text());
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "cannot build an RSA public key: " + openssl_error_text());
    RsaKey key;
    key.key_.reset(raw, PkeyDeleter{});
    return key;
}

int RsaKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

uint64_t RsaKey::public_exponent() const {
    BnPtr e = get_bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_E);
    if (!e || BN_num_bits(e.get()) > 64)
        return 0;
    return BN_get_word(e.get());
}

std::vector<uint8_t> RsaKey::modulus_be(size_t size) const {
    BnPtr n = get_bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_N);
    if (!n || static_cast<size_t>(BN_num_bytes(n.get())) > size)
        return {};
    std::vector<uint8_t> out(size);
    BN_bn2binpad(n.get(), out.data(), static_cast<int>(size));
    return out;
}

Result<std::vector<uint8_t>> RsaKey::sign_sha256_digest(const Digest256& digest) const {
    if (!has_private_)
        return Error(CCBOX_INVALID_SGX_SIGNING_KEY, "signing needs a private key");
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1 ||
        EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "cannot set up RSA signing: " + openssl_error_text());
    std::vector<uint8_t> sig(len);
    if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()) != 1)
        return Error(CCBOX_CRYPTO_ERROR, "RSA signing failed: " + openssl_error_text());
    sig.resize(len);
    return sig;
}

bool RsaKey::verify_sha256_digest(const Digest256& digest, std::span<const uint8_t> signature_be) const {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
    bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
              EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) == 1 &&
              EVP_PKEY_verify(ctx.get(), signature_be.data(), signature_be.size(), digest.data(), digest.size()) == 1;
    ERR_clear_error();
    return ok;
}

std::string RsaKey::private_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return read_bio(bio.get());
}

std::string RsaKey::public_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), key_.get());
    return read_bio(bio.get());
}

Result<void> require_sgx_signing_key(const RsaKey& key, const std::string& origin) {
    if (key.bits() != kSgxRsaBits || key.public_exponent() != 3)
        return Error(CCBOX_INVALID_SGX_SIGNING_KEY,
                     origin + ": SGX signing keys must be RSA-3072 with public exponent 3 (this key is RSA-" +
                         std::to_string(key.bits()) + " with exponent " + std::to_string(key.public_exponent()) +
                         ")" + kHowToMakeKey);
    return ok_result();
}

}  // namespace ccbox
