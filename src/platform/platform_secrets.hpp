// The platform's root secrets: the modeled CPU's fuses and key-related registers, and their
// fixed binary serialization (kept by the platform service in a 0600 file). Trust domain: platform.
#pragma once

#include "support/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ccbox {

// Bytes that hold secret material; wiped (OPENSSL_cleanse) when destroyed. Move-only.
class SecretBytes {
public:
    explicit SecretBytes(size_t size) : bytes_(size) {}
    ~SecretBytes();
    SecretBytes(SecretBytes&&) noexcept = default;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    uint8_t* data() { return bytes_.data(); }
    const uint8_t* data() const { return bytes_.data(); }
    size_t size() const { return bytes_.size(); }
    std::span<const uint8_t> span() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

// The CPUSVN a freshly generated platform reports: sixteen one-byte component SVNs
// (docs/key-derivation.md). Non-zero components leave room to request older CPUSVNs.
inline constexpr std::array<uint8_t, 16> kDefaultCpusvn = {0x0f, 0x0f, 0x02, 0x04, 0x01, 0x80, 0x07, 0x00,
                                                           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

struct PlatformSecrets {
    // CR_SEAL_FUSES: root of SEAL and REPORT keys; unknown to anyone but this platform.
    std::array<uint8_t, 32> seal_fuses{};
    // Root of PROVISION and PROVISION_SEAL keys (the SDM's provisioning fuse secret).
    std::array<uint8_t, 32> provisioning_fuses{};
    // CR_REPORT_KEYID. Real SGX draws it at every platform reset; ccbox draws it with the other
    // secrets and keeps it for the platform's lifetime, so reports stay verifiable across
    // restarts of the platform service.
    std::array<uint8_t, 32> report_keyid{};
    // CR_SGXOWNEREPOCH: changing it (an "owner change") makes every SEAL and REPORT key new.
    std::array<uint8_t, 16> owner_epoch{};
    // CR_CPUSVN: the platform's current CPU security version.
    std::array<uint8_t, 16> cpusvn{};

    PlatformSecrets() = default;
    PlatformSecrets(const PlatformSecrets&) = default;
    PlatformSecrets& operator=(const PlatformSecrets&) = default;
    ~PlatformSecrets();

    // The fixed serialization: magic, version, length, then the fields (docs/key-derivation.md).
    SecretBytes serialize() const;
};

inline constexpr char kPlatformSecretsMagic[8] = {'C', 'C', 'B', 'X', 'P', 'S', 'E', 'C'};
inline constexpr uint32_t kPlatformSecretsVersion = 1;
inline constexpr size_t kPlatformSecretsHeaderSize = 16;  // magic, u32 version, u32 length
inline constexpr size_t kPlatformSecretsSize = kPlatformSecretsHeaderSize + 32 + 32 + 32 + 16 + 16;

// Fresh secrets from OpenSSL's CSPRNG (RAND_bytes); CPUSVN = `cpusvn`.
Result<PlatformSecrets> generate_platform_secrets();
Result<PlatformSecrets> generate_platform_secrets(const std::array<uint8_t, 16>& cpusvn);

// Parses serialize()'s output. `origin` (a file name) prefixes error messages. Rejects a wrong
// magic, version, length field or size with CCBOX_PLATFORM_ERROR.
Result<PlatformSecrets> parse_platform_secrets(std::span<const uint8_t> bytes, const std::string& origin);

}  // namespace ccbox
