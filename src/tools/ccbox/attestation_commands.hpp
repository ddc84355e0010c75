// `ccbox pki …`, `ccbox platform provision`, `ccbox collateral`, `ccbox quote verify|inspect`
// (docs/attestation.md). Registered on the CLI by one call; run() returns -1 when none of these
// commands was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace ccbox {

class AttestationCommands {
public:
    virtual ~AttestationCommands() = default;
    virtual int run() = 0;
};

std::unique_ptr<AttestationCommands> register_attestation_commands(CLI::App& app, CLI::App& platform_cmd);

}  // namespace ccbox
