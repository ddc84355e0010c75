// The confidential-analytics host. It is untrusted and only ferries bytes: the encrypted input
// into the enclave (ca_read), the encrypted result out of it (ca_write), and, for key release,
// the broker's nonce, the enclave's evidence and the broker's JWE (host/release.cpp).
//
//   analytics_host ENCLAVE --in DATA.box --out RESULT.box --result-key-id R KEYS [--progress]
//   KEYS: --broker URL --ca CERT --data-key-id K      key release after attestation (default)
//         --data-key FILE --result-key FILE            TEST/DEVELOPMENT ONLY: keys handed in
//
// The result goes to a temporary file next to OUT, renamed over OUT only when the enclave says
// the job succeeded; on any failure it is removed.
#include "analytics_u.h"
#include "release.hpp"

#include <ccbox/host.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

struct Io {
    int in = -1;
    int out = -1;
    uint64_t in_size = 0, read = 0, written = 0;
    bool progress = false;
    int last_percent = -1;
} g_io;

void show_progress() {
    if (!g_io.progress || g_io.in_size == 0)
        return;
    const int percent = int(g_io.read * 100 / g_io.in_size);
    if (percent == g_io.last_percent)
        return;
    g_io.last_percent = percent;
    char bar[41];
    for (int i = 0; i < 40; ++i)
        bar[i] = i < percent * 40 / 100 ? '#' : '.';
    bar[40] = 0;
    std::fprintf(stderr, "\r   [%s] %3d%%  %llu / %llu MB", bar, percent,
                 static_cast<unsigned long long>(g_io.read >> 20), static_cast<unsigned long long>(g_io.in_size >> 20));
    if (percent == 100)
        std::fputc('\n', stderr);
}

std::vector<uint8_t> read_key_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> key{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.eof() && !in)
        throw std::runtime_error(path + ": cannot read");
    if (key.size() != 32)
        throw std::runtime_error(path + ": a key file holds 32 raw bytes (ccbox box keygen)");
    return key;
}

struct Options {
    std::string enclave, in, out, result_key_id, data_key, result_key, broker, ca, data_key_id;
    bool progress = false;
};

Options parse(int argc, const char* argv[]) {
    Options o;
    if (argc < 2)
        throw std::invalid_argument("missing ENCLAVE");
    o.enclave = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--in") o.in = value();
        else if (a == "--out") o.out = value();
        else if (a == "--result-key-id") o.result_key_id = value();
        else if (a == "--data-key") o.data_key = value();
        else if (a == "--result-key") o.result_key = value();
        else if (a == "--broker") o.broker = value();
        else if (a == "--ca") o.ca = value();
        else if (a == "--data-key-id") o.data_key_id = value();
        else if (a == "--progress") o.progress = true;
        else throw std::invalid_argument("unknown option " + a);
    }
    if (o.in.empty() || o.out.empty() || o.result_key_id.empty())
        throw std::invalid_argument("--in, --out and --result-key-id are required");
    const bool development = !o.data_key.empty() || !o.result_key.empty();
    const bool release = !o.broker.empty() || !o.ca.empty() || !o.data_key_id.empty();
    if (development == release || (development && (o.data_key.empty() || o.result_key.empty())) ||
        (release && (o.broker.empty() || o.ca.empty() || o.data_key_id.empty())))
        throw std::invalid_argument("give either --broker URL --ca CERT --data-key-id K, or (development only) "
                                    "--data-key FILE --result-key FILE");
    return o;
}

void check_status(int status, const char* what, const char* error) {
    if (status != CCBOX_OK)
        throw std::runtime_error(std::string(what) + ": " + ccbox_result_str(static_cast<ccbox_result_t>(status)) +
                                 (error && *error ? std::string(": ") + error : std::string()));
}

}  // namespace

// OCALLs: the host's whole part in the job.
extern "C" int ca_read(uint8_t* buffer, size_t capacity, size_t* size) {
    ssize_t n;
    do
        n = ::read(g_io.in, buffer, capacity);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    *size = size_t(n);
    g_io.read += uint64_t(n);
    show_progress();
    return 0;
}

extern "C" int ca_write(const uint8_t* data, size_t size, int /*final*/) {
    while (size > 0) {
        ssize_t n = ::write(g_io.out, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        size -= size_t(n);
        g_io.written += uint64_t(n);
    }
    return 0;
}

int main(int argc, const char* argv[]) {
    Options o;
    try {
        o = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "analytics_host: " << e.what() << "\nusage: analytics_host ENCLAVE --in DATA.box --out RESULT.box "
                  << "--result-key-id R (--broker URL --ca CERT --data-key-id K | --data-key F --result-key F) "
                     "[--progress]\n";
        return 2;
    }
    std::string tmp = o.out + ".tmp.XXXXXX";
    bool committed = false;
    try {
        g_io.progress = o.progress;
        g_io.in = ::open(o.in.c_str(), O_RDONLY | O_CLOEXEC);
        if (g_io.in < 0)
            throw std::runtime_error(o.in + ": " + std::strerror(errno));
        struct stat st {};
        ::fstat(g_io.in, &st);
        g_io.in_size = uint64_t(st.st_size);
        const ccbox::Enclave enclave(ccbox_create_analytics_enclave, o.enclave, CCBOX_ENCLAVE_FLAG_DEBUG_AUTO);
        if (!o.data_key.empty()) {
            std::cerr << "analytics_host: DEVELOPMENT keys: handed to the enclave without attestation\n";
            const auto data_key = read_key_file(o.data_key), result_key = read_key_file(o.result_key);
            check_status(enclave.call_returning<int>(ca_use_development_keys, data_key.data(), result_key.data()),
                         "ca_use_development_keys", nullptr);
        } else {
            release_keys(enclave, o.broker, o.ca, o.data_key_id, o.result_key_id);
        }
        g_io.out = ::mkstemp(tmp.data());
        if (g_io.out < 0)
            throw std::runtime_error(o.out + ": cannot create a temporary file next to it: " + std::strerror(errno));
        char error[256] = {};
        uint64_t rows = 0;
        const int status = enclave.call_returning<int>(ca_run, o.result_key_id.c_str(), error, &rows);
        check_status(status, "the job failed", error);
        if (::fsync(g_io.out) != 0 || ::close(g_io.out) != 0)
            throw std::runtime_error(o.out + ": cannot flush: " + std::strerror(errno));
        g_io.out = -1;
        if (::rename(tmp.c_str(), o.out.c_str()) != 0)
            throw std::runtime_error(o.out + ": " + std::strerror(errno));
        committed = true;
        std::cout << "job done: " << rows << " rows aggregated inside the enclave; " << g_io.read
                  << " bytes of ciphertext in, " << g_io.written << " bytes of ciphertext out (" << o.out << ")\n";
    } catch (const std::exception& e) {
        if (g_io.progress && g_io.last_percent >= 0 && g_io.last_percent < 100)
            std::fputc('\n', stderr);
        std::cerr << "analytics_host: " << e.what() << "\n";
    }
    if (g_io.out >= 0)
        ::close(g_io.out);
    if (!committed && tmp.find("XXXXXX") == std::string::npos)
        ::unlink(tmp.c_str());
    if (g_io.in >= 0)
        ::close(g_io.in);
    return committed ? 0 : 1;
}
