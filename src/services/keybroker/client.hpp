// The host-side client of the key broker (docs/keybroker.md, "Host client"). The host is
// untrusted: it only ferries the nonce to the enclave and the evidence and JWE back. The
// connection pins the broker's certificate (`ca_file`, the broker's tls/cert.pem) and checks
// the host name against it. One Client per thread (it keeps one keep-alive connection).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ccbox::keybroker {

// A refusal from the broker (or a transport failure: status 0, error "transport").
struct ReleaseRefused : std::runtime_error {
    ReleaseRefused(int status_, std::string error_, std::string reason_)
        : std::runtime_error(error_ + ": " + reason_), status(status_), error(std::move(error_)),
          reason(std::move(reason_)) {}
    int status;
    std::string error;
    std::string reason;
};

struct Released {
    std::string jwe;
    std::string key_id;
    int64_t version = 0;
};

class Client {
public:
    // `url`: https://HOST:PORT. `admin_token`: for the admin calls only.
    Client(const std::string& url, const std::string& ca_file, const std::string& admin_token = "");
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // A fresh 32-byte nonce.
    std::vector<uint8_t> challenge(const std::string& key_id = "");
    // `point`: the enclave's SEC1 uncompressed public point (65 bytes).
    Released release(const std::string& key_id, std::span<const uint8_t> nonce, std::span<const uint8_t> evidence,
                     std::span<const uint8_t> point);

    // An admin call: `method` GET or POST, `path` under /v1/admin; the JSON answer (for GETs of
    // the audit log the raw text is returned as a JSON string). Throws ReleaseRefused.
    nlohmann::json admin(const std::string& method, const std::string& path, const nlohmann::json& body = {});

    // A raw request, for tests: status and body as received.
    struct Raw {
        int status = 0;
        std::string body;
    };
    Raw post(const std::string& path, const std::string& body, const std::string& content_type,
             const std::string& authorization = "");
    Raw get(const std::string& path, const std::string& authorization = "");

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ccbox::keybroker
