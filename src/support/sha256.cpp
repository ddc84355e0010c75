#include "support/sha256.hpp"

#include <openssl/evp.h>
#include <stdexcept>

namespace ccbox {

void Sha256::CtxDeleter::operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    // Allocation or initialisation failure of a built-in digest is not a recoverable state.
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL cannot initialise SHA-256");
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const uint8_t> data) { update(data.data(), data.size()); }

void Sha256::update(const void* data, size_t size) {
    if (size != 0)
        EVP_DigestUpdate(ctx_.get(), data, size);
}

Digest256 Sha256::finish() {
    Digest256 out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
    return out;
}

Digest256 sha256(std::span<const uint8_t> data) {
    Sha256 h;
    h.update(data);
    return h.finish();
}

}  // namespace ccbox
