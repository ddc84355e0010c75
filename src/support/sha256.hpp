// SHA-256 for hosted code, through OpenSSL's EVP interface.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace ccbox {

using Digest256 = std::array<uint8_t, 32>;

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(std::span<const uint8_t> data);
    void update(const void* data, size_t size);
    Digest256 finish();

private:
    struct CtxDeleter {
        void operator()(EVP_MD_CTX* ctx) const;
    };
    std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx_;
};

Digest256 sha256(std::span<const uint8_t> data);

}  // namespace ccbox
