// The envelope of docs/box-format.md on the host: round trips in pieces of any size, and every
// attack on a file (tampered, reordered, truncated, extended, spliced, header changed, length
// field overflowed) refused with its own error. The same code runs in enclaves, where
// analytics_enclave_test.cpp repeats the attacks.
#include "box_test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace {

using namespace box_test;
using ccbox::box::Error;

Bytes sample_plain(size_t n) {
    Bytes p(n);
    std::mt19937 rng(7);
    for (auto& b : p)
        b = uint8_t(rng());
    return p;
}

TEST(BoxEnvelope, RoundTripsAnySizeInPiecesOfAnySize) {
    const Bytes key = key_of(1);
    for (size_t n : {size_t(0), size_t(1), size_t(255), size_t(256), size_t(257), size_t(256 * 5), size_t(3000)}) {
        const Bytes plain = sample_plain(n);
        const Bytes box = seal(key, plain);
        ASSERT_FALSE(box.empty());
        for (size_t piece : {size_t(0), size_t(1), size_t(7), size_t(277)}) {
            Opened o = open(key, box, piece);
            ASSERT_EQ(o.error, Error::ok) << n << " bytes in pieces of " << piece;
            EXPECT_EQ(o.plain, plain);
        }
    }
}

TEST(BoxEnvelope, LayoutIsTheDocumentedOne) {
    const Bytes box = seal(key_of(1), sample_plain(600), 256, "k1");
    ASSERT_EQ(std::memcmp(box.data(), "CCBOXENV", 8), 0);
    EXPECT_EQ(box[8] | box[9] << 8, 2);                   // version
    EXPECT_EQ(box[49], 0) << "no result key commitment";
    EXPECT_EQ(box[10] | box[11] << 8, 56 + 2);            // header size
    EXPECT_EQ(box[12] | box[13] << 8 | box[14] << 16, 256);  // chunk size
    EXPECT_EQ(box[48], 2);
    EXPECT_EQ(std::memcmp(box.data() + 56, "k1", 2), 0);
    const auto records = record_offsets(box);
    ASSERT_EQ(records.size(), 3u);  // 256 + 256 + 88
    EXPECT_EQ(box.size(), 58 + 2 * (4 + 256 + 16) + 4 + 88 + 16);
    EXPECT_EQ(box[records[2] + 3] & 0x80, 0x80) << "the last record carries the final flag";
    EXPECT_EQ(box[records[1] + 3] & 0x80, 0);
}

TEST(BoxEnvelope, EmptyPlaintextIsOneEmptyFinalChunkAndStillAuthenticatesTheHeader) {
    const Bytes key = key_of(1);
    Bytes box = seal(key, {});
    ASSERT_EQ(record_offsets(box).size(), 1u);
    EXPECT_EQ(open(key, box).error, Error::ok);
    box[20] ^= 1;  // the file id
    EXPECT_EQ(open(key, box).error, Error::authentication_failed);
}

TEST(BoxEnvelope, AnyFlippedBitIsRefused) {
    const Bytes key = key_of(1);
    const Bytes box = seal(key, sample_plain(700));
    for (size_t i = 0; i < box.size(); ++i) {
        Bytes t = box;
        t[i] ^= 0x10;
        Opened o = open(key, t);
        EXPECT_NE(o.error, Error::ok) << "byte " << i;
    }
}

TEST(BoxEnvelope, HeaderFieldsAreCheckedByName) {
    const Bytes key = key_of(1);
    const Bytes box = seal(key, sample_plain(300));
    auto with = [&](size_t at, uint8_t v) {
        Bytes t = box;
        t[at] = v;
        return open(key, t).error;
    };
    EXPECT_EQ(with(0, 'X'), Error::bad_magic);
    EXPECT_EQ(with(8, 1), Error::unsupported_version) << "a version 1 file";
    EXPECT_EQ(with(8, 3), Error::unsupported_version);
    EXPECT_EQ(with(49, 0x02), Error::bad_header) << "an unknown flag";
    EXPECT_EQ(with(49, 0x01), Error::bad_header) << "the commitment flag without its 32 bytes";
    EXPECT_EQ(with(10, 61), Error::bad_header);
    EXPECT_EQ(with(50, 1), Error::bad_header);
    EXPECT_EQ(with(13, 0x00), Error::bad_chunk_size);  // 0
    EXPECT_EQ(with(15, 0x10), Error::bad_chunk_size);  // 256 MiB
    EXPECT_EQ(with(14, 0x01), Error::bad_chunk_length) << "a valid but different chunk size: the records disagree";
    EXPECT_EQ(with(56, 0x01), Error::bad_key_id);
    EXPECT_EQ(with(57, 'X'), Error::authentication_failed) << "another key id is another header";
}

TEST(BoxEnvelope, ReorderedChunksAreRefused) {
    const Bytes key = key_of(1);
    const Bytes box = seal(key, sample_plain(256 * 4));
    const auto r = record_offsets(box);
    ASSERT_EQ(r.size(), 4u);
    Bytes t = slice(box, 0, r[0]);
    for (int i : {1, 0, 2, 3}) {
        Bytes rec = slice(box, r[size_t(i)], i == 3 ? box.size() : r[size_t(i) + 1]);
        t.insert(t.end(), rec.begin(), rec.end());
    }
    EXPECT_EQ(open(key, t).error, Error::authentication_failed);
}

TEST(BoxEnvelope, TruncationAnywhereIsRefused) {
    const Bytes key = key_of(1);
    const Bytes box = seal(key, sample_plain(256 * 3 + 10));
    const auto r = record_offsets(box);
    // At a record boundary (the final chunk dropped): the stream ends without a final chunk.
    EXPECT_EQ(open(key, slice(box, 0, r.back())).error, Error::truncated);
    for (size_t cut : {size_t(0), size_t(10), size_t(57), r[1] + 2, box.size() - 1})
        EXPECT_EQ(open(key, slice(box, 0, cut)).error, Error::truncated) << cut;
    // Dropping the final chunk and marking the one before as final changes the AAD.
    Bytes t = slice(box, 0, r.back());
    t[r[r.size() - 2] + 3] |= 0x80;
    EXPECT_EQ(open(key, t).error, Error::authentication_failed);
}

TEST(BoxEnvelope, ExtensionIsRefused) {
    const Bytes key = key_of(1);
    const Bytes box = seal(key, sample_plain(600));
    const auto r = record_offsets(box);
    Bytes t = box;
    t.push_back(0);
    EXPECT_EQ(open(key, t).error, Error::trailing_data);
    t = box;
    t.insert(t.end(), box.begin() + long(r.back()), box.end());  // the final record again
    EXPECT_EQ(open(key, t).error, Error::trailing_data);
    // Clearing the final flag to append more: the AAD changes.
    t = box;
    t[r.back() + 3] &= 0x7f;
    EXPECT_NE(open(key, t).error, Error::ok);
}

TEST(BoxEnvelope, ChunksSplicedFromAnotherFileUnderTheSameKeyAreRefused) {
    const Bytes key = key_of(1);
    const Bytes a = seal(key, sample_plain(256 * 3), 256, "data", 1);
    const Bytes b = seal(key, sample_plain(256 * 3), 256, "data", 2);
    const auto ra = record_offsets(a), rb = record_offsets(b);
    Bytes t = slice(a, 0, ra[1]);
    Bytes from_b = slice(b, rb[1], rb[2]);
    t.insert(t.end(), from_b.begin(), from_b.end());
    t.insert(t.end(), a.begin() + long(ra[2]), a.end());
    EXPECT_EQ(open(key, t).error, Error::authentication_failed);
    // b's records under a's header (same key id, same chunk size): another file id.
    Bytes u = slice(a, 0, ra[0]);
    u.insert(u.end(), b.begin() + long(rb[0]), b.end());
    EXPECT_EQ(open(key, u).error, Error::authentication_failed);
}

TEST(BoxEnvelope, ALengthFieldThatOverflowsIsRefusedBeforeAnyRead) {
    const Bytes key = key_of(1);
    const Bytes box = seal(key, sample_plain(600));
    const auto r = record_offsets(box);
    for (uint32_t field : {0x7fffffffu, 0xffffffffu, 257u, 255u, 0u}) {
        Bytes t = box;
        std::memcpy(t.data() + r[0], &field, 4);
        EXPECT_EQ(open(key, t).error, Error::bad_chunk_length) << std::hex << field;
    }
}

TEST(BoxEnvelope, AnotherKeyIsRefusedAndTheFirstErrorSticks) {
    const Bytes box = seal(key_of(1), sample_plain(600));
    Bytes plain;
    ccbox::box::Decryptor dec(key_of(2).data(), 32, append, &plain);
    EXPECT_EQ(dec.feed(box.data(), box.size()), Error::authentication_failed);
    EXPECT_EQ(dec.feed(box.data(), 1), Error::authentication_failed);
    EXPECT_EQ(dec.finish(), Error::authentication_failed);
    EXPECT_TRUE(plain.empty()) << "nothing unauthenticated reaches the sink";
    const Bytes short_key(31, 1);
    EXPECT_EQ(open(short_key, box).error, Error::bad_key);
}

TEST(BoxEnvelope, EncryptorRefusesBadParameters) {
    uint8_t id[32] = {};
    Bytes out;
    const Bytes key = key_of(1);
    EXPECT_EQ(ccbox::box::Encryptor(key.data(), 31, "k", 256, id, append, &out).finish(), Error::bad_key);
    EXPECT_EQ(ccbox::box::Encryptor(key.data(), 32, "", 256, id, append, &out).finish(), Error::bad_key_id);
    EXPECT_EQ(ccbox::box::Encryptor(key.data(), 32, "a b", 256, id, append, &out).finish(), Error::bad_key_id);
    EXPECT_EQ(ccbox::box::Encryptor(key.data(), 32, "k", 255, id, append, &out).finish(), Error::bad_chunk_size);
    EXPECT_EQ(ccbox::box::Encryptor(key.data(), 32, "k", (16u << 20) + 1, id, append, &out).finish(),
              Error::bad_chunk_size);
    EXPECT_TRUE(out.empty());
    ccbox::box::Encryptor enc(key.data(), 32, "k", 256, id, append, &out);
    EXPECT_EQ(enc.finish(), Error::ok);
    EXPECT_EQ(enc.feed(key.data(), 1), Error::misuse);
}

}  // namespace
