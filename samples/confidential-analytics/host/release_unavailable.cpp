// Built when this ccbox has no key-broker client (src/services/keybroker/client.hpp): the host
// then supports only the development path, and says so.
#include "release.hpp"

#include <stdexcept>

void release_keys(const ccbox::Enclave&, const std::string&, const std::string&, const std::string&,
                  const std::string&) {
    throw std::runtime_error("this build has no key-broker client: use --data-key/--result-key (development)");
}
