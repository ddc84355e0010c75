// The data-sealing host, written against the C++ layer (<ccbox/host.hpp>). One run seals, a
// later run unseals:
//   datasealing_host ENCLAVE seal unique|product "secret text" FILE
//   datasealing_host ENCLAVE unseal FILE
// The host only ever sees the sealed blob.
#include "datasealing_u.h"

#include <ccbox/host.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

// The enclave functions return a ccbox_result_t of their own (as int).
void check_status(int status, const char* what) { ccbox::check(static_cast<ccbox_result_t>(status), what); }

void seal(const ccbox::Enclave& enclave, const std::string& policy_name, const std::string& secret,
          const std::string& path) {
    if (policy_name != "unique" && policy_name != "product")
        throw std::invalid_argument("policy must be 'unique' or 'product'");
    const int policy = policy_name == "unique" ? CCBOX_SEAL_POLICY_UNIQUE : CCBOX_SEAL_POLICY_PRODUCT;
    std::vector<uint8_t> blob(secret.size() + 4096);
    size_t blob_size = 0;
    check_status(enclave.call_returning<int>(seal_secret, policy, secret.c_str(), blob.data(), blob.size(), &blob_size),
                 "seal_secret");
    // Write next to the target and rename, so that a failed run never leaves half a blob.
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(blob.data()), static_cast<std::streamsize>(blob_size));
        if (!out.flush()) {
            std::filesystem::remove(partial);
            throw std::runtime_error("cannot write " + partial);
        }
    }
    std::filesystem::rename(partial, path);
    std::cout << "sealed " << secret.size() << " bytes of secret into " << path << " (" << blob_size << " bytes, "
              << policy_name << " policy)\n";
}

void unseal(const ccbox::Enclave& enclave, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    const std::vector<uint8_t> blob{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<char> secret(blob.size() + 1);
    check_status(enclave.call_returning<int>(unseal_secret, blob.data(), blob.size(), secret.data(), secret.size()),
                 "unseal_secret");
    std::cout << "unsealed: " << secret.data() << "\n";
}

}  // namespace

int main(int argc, const char* argv[]) {
    const std::vector<std::string> args(argv, argv + argc);
    if (argc < 4 || (args[2] == "seal" && argc != 6) || (args[2] == "unseal" && argc != 4) ||
        (args[2] != "seal" && args[2] != "unseal")) {
        std::cerr << "usage: " << args[0] << " ENCLAVE seal unique|product SECRET FILE\n       " << args[0]
                  << " ENCLAVE unseal FILE\n";
        return 2;
    }
    try {
        const ccbox::Enclave enclave(ccbox_create_datasealing_enclave, args[1], CCBOX_ENCLAVE_FLAG_DEBUG_AUTO);
        if (args[2] == "seal")
            seal(enclave, args[3], args[4], args[5]);
        else
            unseal(enclave, args[3]);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << args[0] << ": " << e.what() << "\n";
        return 1;
    }
}
