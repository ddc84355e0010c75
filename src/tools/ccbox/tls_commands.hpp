// `ccbox tls inspect-cert` (docs/attested-tls.md). Registered on the CLI by one call; run()
// returns -1 when no tls command was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace ccbox {

class TlsCommands {
public:
    virtual ~TlsCommands() = default;
    virtual int run() = 0;
};

std::unique_ptr<TlsCommands> register_tls_commands(CLI::App& app);

}  // namespace ccbox
