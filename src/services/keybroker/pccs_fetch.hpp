// Collateral fetched from a PCCS/PCS v4 service (`ccbox pccs serve`, or Intel's PCS layout):
// TCB Info for an FMSPC, QE Identity, the PCK CRL and the root CA CRL, with their issuer
// chains from the response headers, assembled into the collateral JSON of `ccbox collateral`.
// The answers are untrusted: the verifier checks every signature and chain against --root.
#pragma once

#include "support/result.hpp"

#include <string>

namespace ccbox::keybroker {

// `url`: https://HOST:PORT (the /sgx/certification/v4 paths are added); `ca_file`: the
// service's certificate (or its CA) to trust; `fmspc_hex`: 12 hex digits.
Result<std::string> fetch_pccs_collateral(const std::string& url, const std::string& ca_file,
                                          const std::string& fmspc_hex);

}  // namespace ccbox::keybroker
