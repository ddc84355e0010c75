// The envelope's commitment to the result key (docs/box-format.md, "Result key check"): the
// layout and the check recomputed independently with OpenSSL from the documented formula; a
// decryptor that expects a result key refuses another key and an uncommitted file before any
// plaintext reaches its sink; the check is covered by the header's authentication (changed,
// removed or moved to another file, it fails the tags); the encryptor refuses misuse.
#include "box_test_support.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <gtest/gtest.h>

namespace {

using namespace box_test;
using ccbox::box::Error;

// check = HKDF-SHA-256(salt = file id, IKM = data key, info = label ‖ result key), 32 bytes.
Bytes documented_check(const Bytes& data_key, const uint8_t* file_id, const Bytes& result_key) {
    std::string info = "ccbox box v2 result key check";
    info.append(result_key.begin(), result_key.end());
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    Bytes out(32);
    size_t n = out.size();
    EXPECT_TRUE(ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
                EVP_PKEY_CTX_set1_hkdf_salt(ctx, file_id, 32) == 1 &&
                EVP_PKEY_CTX_set1_hkdf_key(ctx, data_key.data(), int(data_key.size())) == 1 &&
                EVP_PKEY_CTX_add1_hkdf_info(ctx, reinterpret_cast<const unsigned char*>(info.data()),
                                            int(info.size())) == 1 &&
                EVP_PKEY_derive(ctx, out.data(), &n) == 1 && n == 32);
    EVP_PKEY_CTX_free(ctx);
    return out;
}

struct Expecting {
    Error error = Error::ok;
    Bytes plain;
};

Expecting open_expecting(const Bytes& key, const Bytes& result_key, const Bytes& box) {
    Expecting o;
    ccbox::box::Decryptor dec(key.data(), key.size(), append, &o.plain);
    o.error = dec.expect_result_key(result_key.data(), result_key.size());
    if (o.error == Error::ok)
        o.error = dec.feed(box.data(), box.size());
    if (o.error == Error::ok)
        o.error = dec.finish();
    return o;
}

const Bytes kData = key_of(1), kResult = key_of(2), kHost = key_of(3);

TEST(BoxResultKeyCheck, LayoutAndTheDocumentedFormula) {
    const Bytes plain(600, 'x');
    const Bytes box = seal_committed(kResult, kData, plain, 256, "k1");
    ASSERT_FALSE(box.empty());
    EXPECT_EQ(box[8] | box[9] << 8, 2);
    EXPECT_EQ(box[49], ccbox::box::kFlagResultKeyCheck);
    EXPECT_EQ(box[10] | box[11] << 8, 56 + 2 + 32);
    EXPECT_EQ(Bytes(box.begin() + 58, box.begin() + 90), documented_check(kData, box.data() + 16, kResult));
    EXPECT_NE(Bytes(box.begin() + 58, box.begin() + 90), documented_check(kData, box.data() + 16, kHost));
    EXPECT_EQ(record_offsets(box).front(), 90u);
    // Anyone with the data key reads it as before; the committed key is what an enclave expects.
    EXPECT_EQ(open(kData, box).plain, plain);
    Expecting ok = open_expecting(kData, kResult, box);
    EXPECT_EQ(ok.error, Error::ok);
    EXPECT_EQ(ok.plain, plain);
    ccbox::box::Decryptor header_only(kData.data(), 32, nullptr, nullptr);
    header_only.feed(box.data(), 90);
    ASSERT_TRUE(header_only.header_ready());
    EXPECT_TRUE(header_only.header().has_result_key_check);
}

TEST(BoxResultKeyCheck, AnotherResultKeyOrNoCommitmentIsRefusedBeforeAnyPlaintext) {
    const Bytes box = seal_committed(kResult, kData, Bytes(600, 'x'));
    Expecting other = open_expecting(kData, kHost, box);
    EXPECT_EQ(other.error, Error::result_key_mismatch);
    EXPECT_TRUE(other.plain.empty());
    Expecting none = open_expecting(kData, kResult, seal(kData, Bytes(600, 'x')));
    EXPECT_EQ(none.error, Error::result_key_not_committed);
    EXPECT_TRUE(none.plain.empty());
    // The same in pieces of one byte (the check spans feeds).
    ccbox::box::Decryptor dec(kData.data(), 32, append, &other.plain);
    ASSERT_EQ(dec.expect_result_key(kHost.data(), 32), Error::ok);
    Error e = Error::ok;
    for (size_t i = 0; i < box.size() && e == Error::ok; ++i)
        e = dec.feed(box.data() + i, 1);
    EXPECT_EQ(e, Error::result_key_mismatch);
    EXPECT_TRUE(other.plain.empty());
}

TEST(BoxResultKeyCheck, TheCheckIsCoveredByTheHeaderAuthentication) {
    const Bytes box = seal_committed(kResult, kData, Bytes(600, 'x'), 256, "k1");  // check at [58, 90)
    // A host that rewrites the check to match its own key cannot compute it (no data key);
    // any change to it fails the first tag, which is reported before the commitment.
    for (size_t at = 58; at < 90; ++at) {
        Bytes t = box;
        t[at] ^= 0x01;
        EXPECT_EQ(open_expecting(kData, kResult, t).error, Error::authentication_failed) << at;
    }
    // Removing the commitment (flag cleared, 32 bytes cut, size fixed) changes the header.
    Bytes stripped = box;
    stripped.erase(stripped.begin() + 58, stripped.begin() + 90);
    stripped[49] = 0;
    stripped[10] = 58;
    EXPECT_EQ(open(kData, stripped).error, Error::authentication_failed);
    // The check of another file (another file id) committing to the host's key, moved in.
    const Bytes theirs = seal_committed(kHost, kData, Bytes(600, 'x'), 256, "k1", 9);
    Bytes moved = box;
    std::copy(theirs.begin() + 58, theirs.begin() + 90, moved.begin() + 58);
    EXPECT_EQ(open_expecting(kData, kHost, moved).error, Error::authentication_failed);
}

TEST(BoxResultKeyCheck, MisuseIsRefused) {
    uint8_t id[32] = {};
    Bytes out;
    ccbox::box::Encryptor enc(kData.data(), 32, "k", 256, id, append, &out);
    EXPECT_EQ(enc.commit_result_key(kResult.data(), 31), Error::bad_key);
    EXPECT_EQ(enc.commit_result_key(kResult.data(), 32), Error::ok);
    EXPECT_EQ(enc.commit_result_key(kResult.data(), 32), Error::misuse) << "twice";
    EXPECT_EQ(enc.feed(kData.data(), 1), Error::ok);
    ccbox::box::Encryptor late(kData.data(), 32, "k", 256, id, append, &out);
    EXPECT_EQ(late.feed(kData.data(), 1), Error::ok);
    EXPECT_EQ(late.commit_result_key(kResult.data(), 32), Error::misuse) << "after the header went out";
    ccbox::box::Decryptor dec(kData.data(), 32, nullptr, nullptr);
    EXPECT_EQ(dec.expect_result_key(kResult.data(), 31), Error::bad_key);
    EXPECT_EQ(dec.feed(out.data(), 10), Error::ok);
    EXPECT_EQ(dec.expect_result_key(kResult.data(), 32), Error::misuse) << "after the first feed";
}

}  // namespace
