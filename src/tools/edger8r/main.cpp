// ccbox-edger8r: the EDL compiler.
//
//   ccbox-edger8r [--trusted|--untrusted] [--trusted-dir D] [--untrusted-dir D]
//                 [--search-path P]... [-D NAME]... [--header-only] [--depfile F] X.edl
//
// Exit status: 0 success, 1 errors in the EDL (or output not writable), 2 bad command line.
#include "driver.h"

int main(int argc, char** argv) { return ccbox::edl::edger8r_main(argc, argv, ccbox::edl::Dialect::Ccbox); }
