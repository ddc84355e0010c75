// Issue 13 acceptance 6: plaintext markers planted in the data never appear in the host
// process's memory (the arena included: in the isolated backend it is mapped in this process),
// nor in anything the host wrote, while the job runs. The data is made and encrypted by child
// processes and the marker is only ever held here ROT13-encoded, so this process never has it
// in plaintext unless the enclave boundary leaks it. The scanner is shown to work by the sim
// backend, where the enclave runs in this process: there it must find the marker.
#include "analytics_fixture.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

using namespace box_test;
using ccbox::test::Backend;

const char kMarkerRot13[] = "MMFRPERGZNEXREPNANYLGVPFMM";  // letters only

char rot13(char c) {
    if (c >= 'a' && c <= 'z')
        return char('a' + (c - 'a' + 13) % 26);
    if (c >= 'A' && c <= 'Z')
        return char('A' + (c - 'A' + 13) % 26);
    return c;
}

// Whether `data` holds the plaintext marker, comparing rot13(data) with kMarkerRot13 one
// byte at a time (no plaintext copy of the marker is ever made).
bool holds_marker(const uint8_t* data, size_t size) {
    const size_t n = sizeof kMarkerRot13 - 1;
    const char first = rot13(kMarkerRot13[0]);
    for (size_t i = 0; i + n <= size;) {
        const void* hit = std::memchr(data + i, first, size - n + 1 - i);
        if (!hit)
            return false;
        i = size_t(static_cast<const uint8_t*>(hit) - data);
        size_t j = 1;
        while (j < n && rot13(char(data[i + j])) == kMarkerRot13[j])
            ++j;
        if (j == n)
            return true;
        ++i;
    }
    return false;
}

// Every readable mapping of this process, read through /proc/self/mem.
bool process_memory_holds_marker() {
    std::ifstream maps("/proc/self/maps");
    const int mem = ::open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (mem < 0)
        return false;
    std::string line;
    std::vector<uint8_t> buffer(1 << 20);
    bool found = false;
    while (!found && std::getline(maps, line)) {
        unsigned long lo = 0, hi = 0;
        char perms[5] = {};
        if (std::sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) != 3 || perms[0] != 'r')
            continue;
        if (line.find("[vvar]") != std::string::npos || line.find("[vsyscall]") != std::string::npos)
            continue;
#if defined(__SANITIZE_ADDRESS__)
        // ASan's shadow memory: terabytes of address space that hold only shadow bytes.
        if (hi - lo >= (1ul << 30))
            continue;
#endif
        // Overlap by the marker's length so that a marker across two reads is seen.
        const size_t overlap = sizeof kMarkerRot13;
        for (unsigned long at = lo; at < hi && !found;) {
            const size_t want = std::min<size_t>(buffer.size(), hi - at);
            const ssize_t got = ::pread(mem, buffer.data(), want, off_t(at));
            if (got <= 0)
                break;
            found = holds_marker(buffer.data(), size_t(got));
            if (size_t(got) < want || at + size_t(got) >= hi)
                break;
            at += size_t(got) > overlap ? size_t(got) - overlap : size_t(got);
        }
    }
    ::close(mem);
    std::fill(buffer.begin(), buffer.end(), 0);
    return found;
}

class Secrecy : public ::testing::TestWithParam<Backend> {};

TEST_P(Secrecy, MarkersFromTheDataNeverReachTheHost) {
    ccbox::test::TempDir dir;
    const std::string tool = ccbox::test::ccbox_tool();
    // The owner's side, in child processes: data with the marker as a group, keys, encryption.
    auto r = ccbox::test::run({"/usr/bin/python3", ANALYTICS_GENERATOR, dir.file("data.csv"), "400000", "--marker-rot13",
                               kMarkerRot13});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* k : {"data.key", "result.key"})
        ASSERT_EQ(ccbox::test::run({tool, "box", "keygen", "--out", dir.file(k)}).exit_code, 0);
    r = ccbox::test::run({tool, "box", "encrypt", "--key", dir.file("data.key"), "--key-id", "data", "--result-key",
                          dir.file("result.key"), "--chunk-size",
                          "16384", dir.file("data.csv"), dir.file("data.box")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(::unlink(dir.file("data.csv").c_str()), 0);

    AnalyticsEnclave enclave(GetParam());
    ASSERT_EQ(enclave.created, CCBOX_OK);
    ASSERT_EQ(use_keys(enclave.e, ccbox::test::read_bytes(dir.file("data.key")),
                       ccbox::test::read_bytes(dir.file("result.key"))),
              CCBOX_OK);
    TestHost host;
    host.input = ccbox::test::read_bytes(dir.file("data.box"));
    EXPECT_FALSE(holds_marker(host.input.data(), host.input.size())) << "the input envelope is ciphertext";
    host.piece = 64 * 1024;
    int scans = 0, hits = 0;
    auto scan = [&] {
        ++scans;
        hits += process_memory_holds_marker() ? 1 : 0;
    };
    host.on_read = [&] {
        if (host.reads == 4)  // mid-stream: chunks with the marker have been decrypted inside
            scan();
    };
    host.on_write = [&] {
        if (host.writes == 1)  // the enclave holds the whole plaintext result now
            scan();
    };
    JobResult job = run_job(enclave.e, host);
    ASSERT_EQ(job.status, CCBOX_OK) << job.error;
    scan();
    EXPECT_EQ(scans, 3);
    EXPECT_FALSE(holds_marker(host.output.data(), host.output.size())) << "the result the host wrote is ciphertext";
    if (GetParam() == Backend::kIsolated)
        EXPECT_EQ(hits, 0) << "the marker reached the host process's memory (or the arena)";
    else
        EXPECT_GT(hits, 0) << "control: in the sim backend the enclave is in this process, so the scanner must see it";

    // The result really holds the marker (so the scans above could have found it): decrypted
    // by the owner, in a child process, and checked only now.
    ccbox::test::write_bytes(dir.file("result.box"), host.output);
    r = ccbox::test::run({tool, "box", "decrypt", "--key", dir.file("result.key"), dir.file("result.box"),
                          dir.file("result.csv")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Bytes plain = ccbox::test::read_bytes(dir.file("result.csv"));
    EXPECT_TRUE(holds_marker(plain.data(), plain.size()));
    // Leave no copy behind for a later test in this process to find.
    explicit_bzero(plain.data(), plain.size());
}

INSTANTIATE_TEST_SUITE_P(Backends, Secrecy, ::testing::ValuesIn(ccbox::test::backends_under_test()),
                         ccbox::test::backend_param_name);

}  // namespace
