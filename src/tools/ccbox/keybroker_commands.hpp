// `ccbox keybroker init|serve|key|policy|audit` (docs/keybroker.md). Registered on the CLI by
// one call; run() returns -1 when none of these commands was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace ccbox {

class KeybrokerCommands {
public:
    virtual ~KeybrokerCommands() = default;
    virtual int run() = 0;
};

std::unique_ptr<KeybrokerCommands> register_keybroker_commands(CLI::App& app);

}  // namespace ccbox
