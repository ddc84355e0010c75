// The broker's state directory (docs/keybroker.md, "Storage"): broker.db, admin.token (0600)
// and tls/cert.pem + tls/key.pem, a self-signed P-256 certificate for 127.0.0.1 and localhost
// that clients pin. `ccbox keybroker init` makes them; `serve` refuses a directory it did not.
#pragma once

#include "support/result.hpp"

#include <string>

namespace ccbox::keybroker {

struct StatePaths {
    std::string dir, db, token, cert, key;
};

// `dir`, else $CCBOX_KEYBROKER_DIR, else ~/.local/share/ccbox/keybroker.
StatePaths state_paths(const std::string& dir);

// Creates the directory (0700), the token, the TLS key and certificate and the database.
// Refuses a directory that already holds a token (CCBOX_ALREADY_EXISTS): init never replaces
// a broker's identity or its administrators' credential.
Result<void> init_state(const StatePaths& paths);

// The admin token; refused if the file is readable or writable by group or others.
Result<std::string> read_admin_token(const std::string& path);

// A self-signed P-256 certificate (SAN IP:127.0.0.1, DNS:localhost) and its key, PEM.
struct TlsIdentity {
    std::string cert_pem, key_pem;
};
Result<TlsIdentity> make_tls_identity(int days);

}  // namespace ccbox::keybroker
