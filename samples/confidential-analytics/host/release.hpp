// Key release for the confidential-analytics host: challenge → evidence → JWE, ferried between
// the enclave and the key broker (docs/keybroker.md). The host sees only the nonce, the
// evidence, the enclave's ephemeral public key and the JWE; none of them reveals a key.
#pragma once

#include <ccbox/host.hpp>

#include <string>

// Releases the data key (slot 0, key id `data_key_id`) and the result key (slot 1) into the
// enclave; throws with the broker's reason when a release is refused.
void release_keys(const ccbox::Enclave& enclave, const std::string& broker_url, const std::string& ca_file,
                  const std::string& data_key_id, const std::string& result_key_id);
