// Key release for the confidential-analytics host, with the key broker's host client
// (src/services/keybroker/client.hpp): for each key, a challenge from the broker, evidence and
// an ephemeral public key from the enclave, the broker's JWE back into the enclave. The host
// handles only those bytes; the key exists in clear only inside the enclave.
#include "release.hpp"

#include "analytics_u.h"
#include "services/keybroker/client.hpp"

#include <iostream>
#include <stdexcept>
#include <vector>

namespace {

void release_one(const ccbox::Enclave& enclave, ccbox::keybroker::Client& broker, int slot, const std::string& key_id) {
    const std::vector<uint8_t> nonce = broker.challenge(key_id);
    if (nonce.size() != 32)
        throw std::runtime_error("the broker's nonce is not 32 bytes");
    std::vector<uint8_t> evidence(64 * 1024);
    size_t evidence_size = 0;
    uint8_t point[65];
    int status = enclave.call_returning<int>(ca_release_begin, slot, nonce.data(), evidence.data(), evidence.size(),
                                             &evidence_size, point);
    if (status != CCBOX_OK)
        throw std::runtime_error("ca_release_begin: " + std::string(ccbox_result_str(ccbox_result_t(status))));
    evidence.resize(evidence_size);
    ccbox::keybroker::Released released;
    try {
        released = broker.release(key_id, nonce, evidence, point);
    } catch (const ccbox::keybroker::ReleaseRefused& e) {
        throw std::runtime_error("the key broker refused to release key '" + key_id + "' (" + e.error + "): " +
                                 e.reason);
    }
    char error[256] = {};
    status = enclave.call_returning<int>(ca_release_finish, slot, released.jwe.data(), released.jwe.size(),
                                         key_id.c_str(), error);
    if (status != CCBOX_OK)
        throw std::runtime_error("ca_release_finish: " + std::string(ccbox_result_str(ccbox_result_t(status))) + ": " +
                                 error);
    std::cerr << "analytics_host: key '" << key_id << "' version " << released.version
              << " released to the enclave (the host saw only a JWE wrapped to the enclave's key)\n";
}

}  // namespace

void release_keys(const ccbox::Enclave& enclave, const std::string& broker_url, const std::string& ca_file,
                  const std::string& data_key_id, const std::string& result_key_id) {
    ccbox::keybroker::Client broker(broker_url, ca_file);
    release_one(enclave, broker, 0, data_key_id);
    release_one(enclave, broker, 1, result_key_id);
}
