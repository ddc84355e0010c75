// The command line of the EDL compiler (docs/edl.md, docs/openenclave.md).
#pragma once

namespace ccbox::edl {

enum class Dialect {
    Ccbox,        // ccbox-edger8r
    OpenEnclave,  // oeedger8r: OE's options, and OE's generated names besides ccbox's
};

// The whole tool: parses the command line, compiles, writes the outputs. Exit status: 0 success,
// 1 errors in the EDL (or output not writable), 2 bad command line.
int edger8r_main(int argc, char** argv, Dialect dialect);

}  // namespace ccbox::edl
