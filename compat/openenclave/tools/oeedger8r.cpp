// oeedger8r: ccbox-edger8r with Open Enclave's command line and generated names
// (src/tools/edger8r/driver.cpp, docs/openenclave.md).
#include "driver.h"

int main(int argc, char** argv) { return ccbox::edl::edger8r_main(argc, argv, ccbox::edl::Dialect::OpenEnclave); }
