// The platform answers only for what it measured itself (issue 16 §4): an image file rewritten
// in place while enclaves are created from it, and an enclave process that reports an identity
// of its choosing. (The OCALL table of runtime_test.edl is in hostile_host_test.cpp.)
#include "raw_host.hpp"
#include "support/hex.hpp"

#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <thread>
#include <unistd.h>

namespace {

using namespace ccbox;
using namespace ccbox::test::isolation;

// ---------------------------------------------------------------- the image-swap attack

// Acceptance 4: while enclaves are created from it, the image file is rewritten in place
// between a small image and one that needs eight times the platform's EPC. Every creation
// either runs as exactly one of the two images, booked for exactly that image's pages, or fails
// cleanly; status, polled all along, never shows more free (or used) EPC than there is; and
// everything is given back after each enclave. (A platform that books what the enclave process
// reports from a second read of the host's file made 513 MiB enclaves here.)
TEST(HostileHost, RewritingTheImageDuringCreationNeverCheatsTheEpcAccounting) {
    ChildPlatform platform({"--epc", "64MiB"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    const std::string small_path = image("runtime_enclave.signed");
    const std::string big_path = ccbox::test::built_file("isolation/runtime_enclave.512mib.signed");
    const Inspected small = inspect(small_path), big = inspect(big_path);
    const uint64_t capacity = 64ull << 20;
    ASSERT_LT(small.epc_pages * kPage, capacity);
    ASSERT_GT(big.epc_pages * kPage, 8 * capacity) << "the big image cannot fit";
    ASSERT_NE(small.mrenclave, big.mrenclave);
    const auto small_bytes = ccbox::test::read_bytes(small_path), big_bytes = ccbox::test::read_bytes(big_path);
    ASSERT_EQ(small_bytes.size(), big_bytes.size()) << "same ELF, other properties and SIGSTRUCT";
    const std::string swapped = (platform.dir() / "swapped.signed").string();
    ccbox::test::write_bytes(swapped, small_bytes);

    // Status, from another client all along.
    std::atomic<bool> done{false};
    std::atomic<int> polls{0};
    std::vector<std::string> violations;
    std::thread poller([&] {
        while (!done) {
            if (auto s = platform.status()) {
                ++polls;
                const uint64_t cap = (*s)["epc_capacity_bytes"], used = (*s)["epc_used_bytes"],
                               free = (*s)["epc_free_bytes"];
                if (cap != capacity || used > cap || free > cap || used + free != cap)
                    violations.push_back(s->dump());
            }
            ::usleep(200);
        }
    });

    std::map<std::string, int> outcomes;
    // A failure the image explains: never the enclave process disagreeing with what the
    // platform measured, nor the platform failing.
    const auto failed_cleanly = [&](ccbox_result_t r, const std::string& error) {
        ++outcomes[ccbox_result_str(r)];
        EXPECT_TRUE(r == CCBOX_OUT_OF_EPC || r == CCBOX_INVALID_IMAGE || r == CCBOX_READ_FAILED ||
                    r == CCBOX_IO_ERROR || r == CCBOX_INVALID_SIGSTRUCT || r == CCBOX_INVALID_SIGNATURE ||
                    r == CCBOX_NOT_SIGNED || r == CCBOX_INVALID_CONFIG || r == CCBOX_MEASUREMENT_MISMATCH)
            << ccbox_result_str(r) << ": " << error;
        EXPECT_EQ(error.find("enclave process"), std::string::npos) << error;
        if (r == CCBOX_OUT_OF_EPC) {
            EXPECT_NE(error.find(std::to_string(big.epc_pages) + " EPC pages"), std::string::npos) << error;
        }
    };
    // An enclave that was made runs as one of the two images, booked for exactly its pages.
    const auto booked_as_measured = [&](const std::string& mrenclave) {
        EXPECT_TRUE(mrenclave == small.mrenclave || mrenclave == big.mrenclave) << mrenclave;
        const Inspected& as = mrenclave == small.mrenclave ? small : big;
        ++outcomes[mrenclave == small.mrenclave ? "made as the small image" : "made as the big image"];
        auto status = platform.status();
        ASSERT_TRUE(status);
        EXPECT_EQ((*status)["epc_used_bytes"].get<uint64_t>(), as.epc_pages * kPage) << status->dump();
        EXPECT_LE((*status)["epc_used_bytes"].get<uint64_t>(), capacity) << "an enclave that does not fit was made";
        ASSERT_EQ((*status)["enclaves"].size(), 1u);
        EXPECT_EQ((*status)["enclaves"][0]["epc_pages"].get<uint64_t>(), as.epc_pages);
        EXPECT_EQ((*status)["enclaves"][0]["mrenclave"], mrenclave);
    };
    {
        ImageSwapper swapper(swapped, big_bytes, small_bytes);
        for (int attempt = 0; attempt < 30; ++attempt) {
            swapper.await_switch();  // (a failed creation is quick: spread them over the rewrites)
            if (attempt % 2 == 0) {  // through the host library, which reads the file too
                ccbox_enclave_t* e = nullptr;
                const ccbox_result_t r = create(swapped, platform.setting(), &e);
                if (r != CCBOX_OK) {
                    EXPECT_EQ(e, nullptr);
                    failed_cleanly(r, ccbox_get_last_error());
                    continue;
                }
                ccbox_enclave_identity_t id;
                ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
                booked_as_measured(ccbox::to_hex(std::span<const uint8_t>(id.mrenclave, 32)));
                int sum = 0;
                EXPECT_EQ(rt_add(e, &sum, 20, 22), CCBOX_OK);
                EXPECT_EQ(sum, 42) << "the enclave runs";
                EXPECT_EQ(ccbox_terminate_enclave(e), CCBOX_OK);
                EXPECT_EQ((*platform.status())["epc_used_bytes"], 0u) << "terminate gives its EPC back";
                continue;
            }
            // A raw host: the platform's read is the only one.
            HostArena arena(small.tcs_count, kArenaSeals);
            const int fd = ::open(swapped.c_str(), O_RDONLY | O_CLOEXEC);
            const int connection = connect_with_timeout(platform.socket(), 30);
            ASSERT_TRUE(
                send_create(connection, fd, arena.fd, reinterpret_cast<uintptr_t>(arena.mapping), arena.size).ok());
            ::close(fd);
            auto reply = receive_within(connection, 30);
            ASSERT_TRUE(reply.ok()) << reply.error().message();
            protocol::Reader r(reply->payload);
            wire::CreatedReply created{};
            if (reply->type == protocol::Type::kError) {
                const Error e = protocol::error_from(*reply);
                failed_cleanly(e.code(), e.message());
            } else {
                EXPECT_EQ(reply->type, protocol::Type::kEnclaveCreated);
                EXPECT_TRUE(r.get(&created) && r.at_end());
                booked_as_measured(ccbox::to_hex(std::span<const uint8_t>(created.loaded.mrenclave, 32)));
            }
            reply->close_fds();
            ::close(connection);
            std::string last;
            EXPECT_TRUE(platform.settles(0, 0, &last)) << "its host left: " << last;
        }
        swapper.stop();
        std::string summary;
        for (const auto& [what, count] : outcomes)
            summary += " " + what + ": " + std::to_string(count) + ";";
        std::printf("30 creations during %lu rewrites, %d status polls:%s\n", swapper.switches(), polls.load(),
                    summary.c_str());
    }
    done = true;
    poller.join();
    EXPECT_GT(polls.load(), 0);
    EXPECT_TRUE(violations.empty()) << violations.size() << " impossible status replies, first " << violations[0];
    std::string last;
    EXPECT_TRUE(platform.settles(0, 0, &last)) << last;

    // At rest, each image does what it must: the small one runs, the big one does not fit.
    ccbox_enclave_t* e = nullptr;
    ccbox::test::write_bytes(swapped, big_bytes);
    EXPECT_EQ(create(swapped, platform.setting(), &e), CCBOX_OUT_OF_EPC);
    ccbox::test::write_bytes(swapped, small_bytes);
    ASSERT_EQ(create(swapped, platform.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    EXPECT_EQ((*platform.status())["epc_used_bytes"].get<uint64_t>(), small.epc_pages * kPage);
    ccbox_terminate_enclave(e);
    EXPECT_TRUE(platform.running()) << platform.how_it_ended();
}

// ---------------------------------------------------------------- a forged identity reply

// Acceptance 5: the enclave processes of a platform started with CCBOX_TEST_FORGE_IDENTITY
// report an MRENCLAVE one bit off the one they loaded. The platform compares their report with
// its own measurement and refuses every such enclave, leaving no process and no EPC booked;
// the same image on a platform without the hook runs.
TEST(HostileHost, AnEnclaveProcessThatReportsAnotherIdentityIsRefused) {
    ChildPlatform forged({"--sku", "DC2s_v2"}, 0, {"CCBOX_TEST_FORGE_IDENTITY=1"});
    ASSERT_TRUE(forged.ready()) << forged.log();
    for (int attempt = 0; attempt < 3; ++attempt) {
        ccbox_enclave_t* e = nullptr;
        EXPECT_EQ(create(image("runtime_enclave.signed"), forged.setting(), &e), CCBOX_MEASUREMENT_MISMATCH);
        EXPECT_EQ(e, nullptr);
        EXPECT_NE(std::string(ccbox_get_last_error()).find("differs from the platform's own measurement"),
                  std::string::npos)
            << ccbox_get_last_error();
        EXPECT_EQ(forged.children(), std::vector<pid_t>{}) << "no enclave process is left";
        auto status = forged.status();
        ASSERT_TRUE(status) << "the platform keeps serving";
        EXPECT_EQ((*status)["epc_used_bytes"], 0u);
        EXPECT_EQ((*status)["loading"], 0u);
        EXPECT_EQ((*status)["enclaves"].size(), 0u);
    }
    EXPECT_NE(forged.log().find("refusing"), std::string::npos) << forged.log();
    EXPECT_TRUE(forged.running()) << forged.how_it_ended();

    ChildPlatform honest({"--sku", "DC2s_v2"});
    ccbox_enclave_t* e = nullptr;
    ASSERT_EQ(create(image("runtime_enclave.signed"), honest.setting(), &e), CCBOX_OK) << ccbox_get_last_error();
    ccbox_enclave_identity_t id;
    ASSERT_EQ(ccbox_get_enclave_identity(e, &id), CCBOX_OK);
    EXPECT_EQ(ccbox::to_hex(std::span<const uint8_t>(id.mrenclave, 32)), inspect(image("runtime_enclave.signed")).mrenclave);
    ccbox_terminate_enclave(e);
}

}  // namespace
