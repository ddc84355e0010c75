// `ccbox keybroker serve`: the release protocol and the admin API over HTTPS (cpp-httplib with
// OpenSSL), docs/keybroker.md. Requests are hostile: bodies are capped (413), POSTs must be
// application/json (415), every connection has read and write timeouts so half-sent requests
// cannot hold the workers, and the worker pool is sized for many concurrent clients.
#pragma once

#include "services/keybroker/collateral_source.hpp"
#include "services/keybroker/state.hpp"
#include "support/result.hpp"

#include <memory>
#include <string>

namespace ccbox::keybroker {

struct BrokerOptions {
    StatePaths paths;
    std::string host = "127.0.0.1";
    int port = 8443;  // 0: any free port
    int nonce_ttl_ms = 30000;
    size_t threads = 128;
    size_t max_body = 1 << 20;
    int read_timeout_s = 5;
    size_t max_outstanding_nonces = 100000;
    std::unique_ptr<CollateralSource> collateral;
};

class Broker {
public:
    static Result<std::unique_ptr<Broker>> create(BrokerOptions options);
    ~Broker();
    int port() const;
    // Serves until stop() (from another thread or a signal handler's thread).
    void run();
    void stop();
    bool running() const;

private:
    Broker() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ccbox::keybroker
