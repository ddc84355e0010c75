// The platform's root secrets: generation from OpenSSL's CSPRNG, the fixed serialization, and
// wiping. Trust domain: platform.
#include "platform/platform_secrets.hpp"

#include "support/rsa_key.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>

namespace ccbox {
namespace {

void put_u32_le(uint8_t* out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t get_u32_le(const uint8_t* in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= static_cast<uint32_t>(in[i]) << (8 * i);
    return v;
}

// The secret fields in serialization order; both directions walk this list.
template <typename Secrets, typename Visit>
void for_each_field(Secrets& s, Visit&& visit) {
    visit(s.seal_fuses);
    visit(s.provisioning_fuses);
    visit(s.report_keyid);
    visit(s.owner_epoch);
    visit(s.cpusvn);
}

Error secrets_error(const std::string& origin, const std::string& what) {
    return Error(CCBOX_PLATFORM_ERROR, origin + ": " + what);
}

}  // namespace

SecretBytes::~SecretBytes() {
    if (!bytes_.empty())
        OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        if (!bytes_.empty())
            OPENSSL_cleanse(bytes_.data(), bytes_.size());
        bytes_ = std::move(other.bytes_);
        other.bytes_.clear();
    }
    return *this;
}

PlatformSecrets::~PlatformSecrets() {
    for_each_field(*this, [](auto& field) { OPENSSL_cleanse(field.data(), field.size()); });
}

SecretBytes PlatformSecrets::serialize() const {
    SecretBytes out(kPlatformSecretsSize);
    uint8_t* p = out.data();
    std::memcpy(p, kPlatformSecretsMagic, sizeof kPlatformSecretsMagic);
    put_u32_le(p + 8, kPlatformSecretsVersion);
    put_u32_le(p + 12, static_cast<uint32_t>(kPlatformSecretsSize));
    p += kPlatformSecretsHeaderSize;
    for_each_field(*this, [&p](const auto& field) {
        std::memcpy(p, field.data(), field.size());
        p += field.size();
    });
    return out;
}

Result<PlatformSecrets> generate_platform_secrets() { return generate_platform_secrets(kDefaultCpusvn); }

Result<PlatformSecrets> generate_platform_secrets(const std::array<uint8_t, 16>& cpusvn) {
    PlatformSecrets secrets;
    auto draw = [](auto& field) { return RAND_bytes(field.data(), static_cast<int>(field.size())) == 1; };
    if (!draw(secrets.seal_fuses) || !draw(secrets.provisioning_fuses) || !draw(secrets.report_keyid) ||
        !draw(secrets.owner_epoch))
        return Error(CCBOX_CRYPTO_ERROR, "cannot draw the platform secrets: " + openssl_error_text());
    secrets.cpusvn = cpusvn;  // a version, not a secret
    return secrets;
}

Result<PlatformSecrets> parse_platform_secrets(std::span<const uint8_t> bytes, const std::string& origin) {
    if (bytes.size() < kPlatformSecretsHeaderSize)
        return secrets_error(origin, "platform secrets are truncated: " + std::to_string(bytes.size()) +
                                         " bytes, the header alone is " +
                                         std::to_string(kPlatformSecretsHeaderSize));
    if (std::memcmp(bytes.data(), kPlatformSecretsMagic, sizeof kPlatformSecretsMagic) != 0)
        return secrets_error(origin, "not a ccbox platform secrets file (magic is not \"CCBXPSEC\")");
    const uint32_t version = get_u32_le(bytes.data() + 8);
    if (version != kPlatformSecretsVersion)
        return secrets_error(origin, "platform secrets version " + std::to_string(version) +
                                         " is not supported (expected " +
                                         std::to_string(kPlatformSecretsVersion) + ")");
    const uint32_t length = get_u32_le(bytes.data() + 12);
    if (length != kPlatformSecretsSize)
        return secrets_error(origin, "platform secrets length field is " + std::to_string(length) +
                                         ", expected " + std::to_string(kPlatformSecretsSize));
    if (bytes.size() != kPlatformSecretsSize)
        return secrets_error(origin, "platform secrets are " + std::to_string(bytes.size()) +
                                         " bytes, expected " + std::to_string(kPlatformSecretsSize) +
                                         (bytes.size() < kPlatformSecretsSize ? " (truncated)" : ""));
    PlatformSecrets secrets;
    const uint8_t* p = bytes.data() + kPlatformSecretsHeaderSize;
    for_each_field(secrets, [&p](auto& field) {
        std::memcpy(field.data(), p, field.size());
        p += field.size();
    });
    return secrets;
}

}  // namespace ccbox
