// Issue 14, acceptance 3: an attacker with the untrusted backing memory (the test hook) flips
// bits in ciphertext and PCMDs, replays an older version of a page, swaps two evicted pages,
// moves a page from another enclave, and deletes a page. Every trial must abort the attacked
// enclave without ever handing enclave code wrong data, while another enclave goes on verifying.
#include "paging_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace ccbox::test::paging {
namespace {

constexpr uint64_t kBytes = 2 * kMiB;  // on a 1 MiB EPC: most of it is evicted at any time

enum Kind { kCiphertextBit, kPcmdBit, kReplay, kSwap, kMove, kDelete, kKinds };
const char* const kKindNames[] = {"ciphertext bit", "PCMD bit", "replay", "swap", "move", "delete"};

struct Victim {
    ccbox_enclave_t* enclave = nullptr;
    uint64_t id = 0, address = 0;
    Backing backing;
    ~Victim() {
        if (enclave)
            ccbox_terminate_enclave(enclave);
    }
    // Evicted pages inside the data set (what pg_verify reads).
    std::vector<uint64_t> evicted_data_pages() const {
        std::vector<uint64_t> out;
        const uint64_t first = (address - backing.layout.base + kPage - 1) / kPage;
        const uint64_t last = (address + kBytes - backing.layout.base) / kPage;
        for (uint64_t p = first; p < last; ++p)
            if (backing.evicted(p))
                out.push_back(p);
        return out;
    }
};

bool make_victim(PagingPlatform& platform, uint64_t seed, Victim* v) {
    if (ccbox_create_paging_test_enclave(image("paging_enclave.signed").c_str(),
                                         CCBOX_ENCLAVE_FLAG_ISOLATED | CCBOX_ENCLAVE_FLAG_DEBUG, platform.setting(), 1,
                                         &v->enclave) != CCBOX_OK)
        return false;
    int r = -1;
    if (pg_fill(v->enclave, &r, seed, kBytes, &v->address) != CCBOX_OK || r != CCBOX_OK)
        return false;
    const auto ids = enclave_ids(platform);
    v->id = ids.empty() ? 0 : ids.back();
    return get_backing(platform, v->id, &v->backing);
}

// What verification gave: aborted, or the number of wrong words it saw (0: all correct).
struct Outcome {
    ccbox_result_t call;
    int result;
    uint64_t mismatches;
};
Outcome verify(ccbox_enclave_t* e, uint64_t seed) {
    Outcome o{CCBOX_UNEXPECTED, -1, ~0ull};
    o.call = pg_verify(e, &o.result, seed, kBytes, &o.mismatches);
    return o;
}

void copy_page(const Backing& from, uint64_t from_page, const Backing& to, uint64_t to_page) {
    std::memcpy(to.data(to_page), from.data(from_page), kPage);
    std::memcpy(to.pcmd(to_page), from.pcmd(from_page), 128);
}

// Runs `trials` trials of the kinds in `kinds`, against a fresh victim each, on one platform with
// one bystander that verifies after every trial.
void run_trials(const std::vector<Kind>& kinds, int trials, uint32_t seed) {
    PagingPlatform platform({"--epc", "1MiB"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    Victim bystander;
    ASSERT_TRUE(make_victim(platform, 99, &bystander)) << ccbox_get_last_error() << platform.log();
    std::mt19937_64 random(seed);
    int counted[kKinds] = {};
    for (int t = 0; t < trials; ++t) {
        const Kind kind = kinds[t % kinds.size()];
        SCOPED_TRACE(std::string("trial ") + std::to_string(t) + ": " + kKindNames[kind]);
        Victim v;
        const uint64_t data_seed = random();
        ASSERT_TRUE(make_victim(platform, data_seed, &v)) << ccbox_get_last_error();
        std::vector<uint64_t> evicted = v.evicted_data_pages();
        ASSERT_GE(evicted.size(), 2u) << "the data set is mostly evicted";
        const uint64_t page = evicted[random() % evicted.size()];
        uint64_t check_seed = data_seed;
        switch (kind) {
            case kCiphertextBit:
                v.backing.data(page)[random() % kPage] ^= static_cast<uint8_t>(1u << (random() % 8));
                break;
            case kPcmdBit:
                v.backing.pcmd(page)[random() % 128] ^= static_cast<uint8_t>(1u << (random() % 8));
                break;
            case kReplay: {
                // An older version of every evicted page, put back after they were all rewritten.
                std::vector<uint8_t> old(v.backing.layout.size);
                std::memcpy(old.data(), v.backing.memory, old.size());
                check_seed = data_seed + 1;
                int r = -1;
                uint64_t address;
                ASSERT_EQ(pg_fill(v.enclave, &r, check_seed, kBytes, &address), CCBOX_OK);
                std::vector<uint64_t> again;
                for (uint64_t p : v.evicted_data_pages())
                    if (std::find(evicted.begin(), evicted.end(), p) != evicted.end())
                        again.push_back(p);
                ASSERT_FALSE(again.empty());
                const uint64_t replayed = again[random() % again.size()];
                std::memcpy(v.backing.data(replayed), old.data() + v.backing.layout.data_offset + replayed * kPage,
                            kPage);
                std::memcpy(v.backing.pcmd(replayed), old.data() + v.backing.layout.pcmd_offset + replayed * 128, 128);
                break;
            }
            case kSwap: {
                uint64_t other = evicted[random() % evicted.size()];
                while (other == page)
                    other = evicted[random() % evicted.size()];
                std::vector<uint8_t> data(v.backing.data(page), v.backing.data(page) + kPage);
                std::vector<uint8_t> pcmd(v.backing.pcmd(page), v.backing.pcmd(page) + 128);
                copy_page(v.backing, other, v.backing, page);
                std::memcpy(v.backing.data(other), data.data(), kPage);
                std::memcpy(v.backing.pcmd(other), pcmd.data(), 128);
                break;
            }
            case kMove: {
                // The bystander's page at the same offset of the same image.
                // Same image, same heap: the data sets are at the same offset of ELRANGE.
                ASSERT_EQ(v.address - v.backing.layout.base, bystander.address - bystander.backing.layout.base);
                std::vector<uint64_t> both;
                for (uint64_t p : bystander.evicted_data_pages())
                    if (v.backing.evicted(p))
                        both.push_back(p);
                ASSERT_FALSE(both.empty());
                const uint64_t p = both[random() % both.size()];
                copy_page(bystander.backing, p, v.backing, p);
                break;
            }
            case kDelete:
                ASSERT_EQ(::fallocate(v.backing.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                      static_cast<off_t>(v.backing.layout.data_offset + page * kPage), kPage),
                          0);
                ASSERT_EQ(::fallocate(v.backing.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                      static_cast<off_t>(v.backing.layout.pcmd_offset + page * 128 / kPage * kPage),
                                      kPage),
                          0);
                break;
            case kKinds:
                break;
        }
        const Outcome o = verify(v.enclave, check_seed);
        ASSERT_EQ(o.call, CCBOX_ENCLAVE_ABORTED)
            << "verification returned " << ccbox_result_str(o.call) << " with " << o.mismatches
            << " wrong words: the tampering " << (o.mismatches ? "reached enclave code" : "went unnoticed");
        // Aborted for good: later calls fail the same way.
        uint64_t sum;
        int r;
        EXPECT_EQ(pg_touch(v.enclave, &r, kPage, 1, 0, &sum), CCBOX_ENCLAVE_ABORTED);
        const Outcome b = verify(bystander.enclave, 99);
        ASSERT_EQ(b.call, CCBOX_OK) << "the bystander goes on";
        ASSERT_EQ(b.result, CCBOX_OK);
        ASSERT_EQ(b.mismatches, 0u);
        ++counted[kind];
    }
    // The platform freed what the aborted enclaves held: only the bystander remains.
    auto s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_EQ((*s)["enclaves"].size(), 1u) << s->dump();
    EXPECT_EQ((*s)["paging"]["evicted_pages"], (*s)["enclaves"][0]["paging"]["evicted_pages"]);
    EXPECT_EQ((*s)["paging"]["resident_pages"], (*s)["enclaves"][0]["paging"]["resident_pages"]);
    EXPECT_TRUE(platform.running());
    for (Kind k : kinds)
        EXPECT_GT(counted[k], 0) << kKindNames[k];
}

// Version-array pages are evicted too (the version tree), and one that comes back changed aborts
// its enclave like any page: a 40 MiB enclave on a 1 MiB EPC writes 8 MiB, so that most of its
// level-0 VA pages go out; flipping a bit in one of them, or replaying its older copy, aborts the
// enclave when a page it holds the version of comes back.
TEST(PagingVersionTree, VersionArrayPagesAreEvictedAndVerified) {
    PagingPlatform platform({"--epc", "1MiB", "--commit-limit", "64MiB"});
    ASSERT_TRUE(platform.ready()) << platform.log();
    for (int trial = 0; trial < 3; ++trial) {
        SCOPED_TRACE(trial);
        ccbox_enclave_t* e = nullptr;
        ASSERT_EQ(ccbox_create_paging_test_enclave(image("paging_enclave.40mib.signed").c_str(),
                                                   CCBOX_ENCLAVE_FLAG_ISOLATED | CCBOX_ENCLAVE_FLAG_DEBUG,
                                                   platform.setting(), 1, &e),
                  CCBOX_OK);
        int r = -1;
        uint64_t address = 0, mismatches = 1;
        const uint64_t bytes = 8 * kMiB;
        ASSERT_EQ(pg_fill(e, &r, 41, bytes, &address), CCBOX_OK);
        auto s = platform.status();
        ASSERT_TRUE(s);
        const auto& mine = (*s)["enclaves"].back();
        EXPECT_GT(mine["paging"]["va_evicted_pages"].get<uint64_t>(), 0u) << s->dump();
        Backing backing;
        ASSERT_TRUE(get_backing(platform, mine["id"].get<uint64_t>(), &backing));
        std::vector<uint64_t> evicted_va;
        for (uint64_t i = 0; i < backing.layout.va_pages; ++i)
            if (backing.va_evicted(i))
                evicted_va.push_back(i);
        ASSERT_FALSE(evicted_va.empty());
        if (trial == 0) {
            // Untouched, everything comes back.
            ASSERT_EQ(pg_verify(e, &r, 41, bytes, &mismatches), CCBOX_OK);
            EXPECT_EQ(r, CCBOX_OK);
            EXPECT_EQ(mismatches, 0u);
            s = platform.status();
            EXPECT_GT((*s)["paging"]["page_ins"].get<uint64_t>(), 0u);
        } else {
            const uint64_t victim = evicted_va[static_cast<size_t>(trial) % evicted_va.size()];
            if (trial == 1)
                backing.va_data(victim)[trial * 37 % kPage] ^= 0x10;
            else
                backing.va_pcmd(victim)[112] ^= 1;  // its MAC
            EXPECT_EQ(pg_verify(e, &r, 41, bytes, &mismatches), CCBOX_ENCLAVE_ABORTED)
                << "mismatches " << mismatches;
        }
        ccbox_terminate_enclave(e);
    }
    auto s = platform.status();
    ASSERT_TRUE(s);
    EXPECT_EQ((*s)["epc_resident_bytes"], 0u) << s->dump();
    EXPECT_EQ((*s)["paging"]["va_evicted_pages"], 0u);
}

int trials_per_shard() {
    const char* n = std::getenv("CCBOX_PAGING_TAMPER_TRIALS");
    return n ? std::atoi(n) : 85;
}

// Twelve shards of 85 trials, two per kind with their own random seeds: 1,020 trials in all, each
// shard a test of its own (a dozen seconds on two shared cores).
class PagingTamper : public ::testing::TestWithParam<std::pair<Kind, uint32_t>> {};
TEST_P(PagingTamper, AbortsTheAttackedEnclaveOnly) { run_trials({GetParam().first}, trials_per_shard(), GetParam().second); }
std::vector<std::pair<Kind, uint32_t>> shards() {
    std::vector<std::pair<Kind, uint32_t>> out;
    for (int k = 0; k < kKinds; ++k)
        for (uint32_t s = 0; s < 2; ++s)
            out.push_back({static_cast<Kind>(k), 100 * k + s + 1});
    return out;
}
INSTANTIATE_TEST_SUITE_P(Trials, PagingTamper, ::testing::ValuesIn(shards()),
                         [](const ::testing::TestParamInfo<std::pair<Kind, uint32_t>>& info) {
                             std::string name = kKindNames[info.param.first];
                             for (char& c : name)
                                 if (c == ' ')
                                     c = '_';
                             return name + "_" + std::to_string(info.param.second % 100);
                         });

}  // namespace
}  // namespace ccbox::test::paging
