// `ccbox box keygen|encrypt|decrypt|inspect`: the data owner's side of the secure box
// (docs/box-format.md). Registered on the CLI by one call; run() returns -1 when none of these
// commands was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace ccbox {

class BoxCommands {
public:
    virtual ~BoxCommands() = default;
    virtual int run() = 0;
};

std::unique_ptr<BoxCommands> register_box_commands(CLI::App& app);

}  // namespace ccbox
