// The strict compact-JWE parser (src/common/box/jwe.cpp) on JWEs made as the broker makes them,
// and on each way a hostile host can bend one: other algorithms ("dir", "none"), other or extra
// members, escapes, a huge header, bad base64url, wrong part sizes.
#include "common/box/base64url.h"
#include "common/box/jwe.h"
#include "jwe_maker.hpp"

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace box_test;
using ccbox::box::JweError;

struct Recipient {
    uint8_t point[65];
    Recipient() {
        EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        size_t n = 0;
        EVP_PKEY_get_octet_string_param(k, "pub", point, 65, &n);
        EVP_PKEY_free(k);
    }
};

const std::vector<uint8_t> kKey(32, 0x42);

JweError parse(const std::string& jwe) {
    ccbox::box::Jwe out;
    return ccbox::box::parse_jwe(jwe.data(), jwe.size(), &out);
}

std::vector<std::string> parts(const std::string& jwe) {
    std::vector<std::string> p(1);
    for (char c : jwe)
        if (c == '.')
            p.emplace_back();
        else
            p.back().push_back(c);
    return p;
}

std::string join(const std::vector<std::string>& p) {
    std::string s;
    for (size_t i = 0; i < p.size(); ++i)
        s += (i ? "." : "") + p[i];
    return s;
}

TEST(JweParse, TakesTheBrokersJweApart) {
    Recipient r;
    const std::string jwe = make_jwe(r.point, kKey, jwe_kid("data/7"));
    ccbox::box::Jwe out;
    ASSERT_EQ(ccbox::box::parse_jwe(jwe.data(), jwe.size(), &out), JweError::ok);
    EXPECT_STREQ(out.kid, "data/7");
    EXPECT_EQ(out.ciphertext_size, 32u);
    EXPECT_EQ(std::string(out.protected_b64, out.protected_b64_size), parts(jwe)[0]);
}

TEST(JweParse, MembersMayComeInAnyOrderWithWhitespace) {
    Recipient r;
    EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_header(" { \"kid\" : \"k/1\" ,\n\"epk\":EPK, \"enc\":\"A256GCM\","
                                                        "\"alg\":\"ECDH-ES+A256KW\" } "))),
              JweError::ok);
}

TEST(JweParse, RefusesOtherAlgorithms) {
    Recipient r;
    for (const char* alg : {"dir", "none", "RSA-OAEP", "ECDH-ES", "ECDH-ES+A128KW", "ecdh-es+a256kw"})
        EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_alg(alg))), JweError::alg_unsupported) << alg;
    for (const char* enc : {"A128GCM", "A256CBC-HS512", ""})
        EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_enc(enc))), JweError::enc_unsupported) << enc;
}

TEST(JweParse, RefusesMissingExtraDuplicatedOrMistypedMembers) {
    Recipient r;
    const char* bad[] = {
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":EPK}",
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":EPK,\"zip\":\"DEF\"}",
        "{\"alg\":\"ECDH-ES+A256KW\",\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":EPK}",
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":\"EC\"}",
        "{\"alg\":{\"x\":\"y\"},\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":EPK}",
    };
    for (const char* h : bad)
        EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_header(h))), JweError::header_members) << h;
    const char* not_json[] = {
        "[\"alg\"]",
        "{\"alg\":\"ECDH-ES\\u002bA256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":EPK}",
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":EPK",
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":EPK}x",
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":1,\"epk\":EPK}",
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":{\"a\":{\"b\":\"c\"}}}",
    };
    for (const char* h : not_json)
        EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_header(h))), JweError::header_not_json) << h;
}

TEST(JweParse, RefusesAnEpkThatIsNotAP256Jwk) {
    Recipient r;
    const std::string x = b64url(r.point + 1, 32), y = b64url(r.point + 33, 32);
    auto with_epk = [&](const std::string& epk) {
        return "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"kid\":\"k\",\"epk\":" + epk + "}";
    };
    for (const std::string& epk :
         {"{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}",
          "{\"kty\":\"OKP\",\"crv\":\"P-256\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}",
          "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + x + "\"}",
          "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + x + "AA\",\"y\":\"" + y + "\"}",
          "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + x + "\",\"y\":\"" + y + "\",\"d\":\"" + x + "\"}"})
        EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_header(with_epk(epk)))), JweError::epk_invalid) << epk;
}

TEST(JweParse, RefusesHugeInputsBeforeDecodingThem) {
    Recipient r;
    std::string big_kid(2000, 'k');
    EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_kid(big_kid))), JweError::too_large);
    std::string huge(5000, 'A');
    EXPECT_EQ(parse(huge), JweError::too_large);
    EXPECT_EQ(parse(make_jwe(r.point, kKey, jwe_kid(std::string(300, 'k')))), JweError::kid_invalid);
}

TEST(JweParse, RefusesWrongShapesAndPartSizes) {
    Recipient r;
    const auto p = parts(make_jwe(r.point, kKey));
    ASSERT_EQ(p.size(), 5u);
    EXPECT_EQ(parse(join({p[0], p[1], p[2], p[3]})), JweError::not_compact);
    EXPECT_EQ(parse(join({p[0], p[1], p[2], p[3], p[4], p[4]})), JweError::not_compact);
    EXPECT_EQ(parse(join({p[0] + "=", p[1], p[2], p[3], p[4]})), JweError::bad_base64url);
    EXPECT_EQ(parse(join({p[0], p[1].substr(0, 43), p[2], p[3], p[4]})), JweError::encrypted_key_size);
    EXPECT_EQ(parse(join({p[0], p[1], p[2] + "AAAA", p[3], p[4]})), JweError::iv_size);
    EXPECT_EQ(parse(join({p[0], p[1], p[2], p[3], p[4].substr(0, 20)})), JweError::tag_size);
    EXPECT_EQ(parse(join({p[0], p[1], p[2], "", p[4]})), JweError::ciphertext_size);
    EXPECT_EQ(parse(join({p[0], p[1], p[2], std::string(1000, 'A'), p[4]})), JweError::ciphertext_size);
}

TEST(Base64url, IsCanonical) {
    uint8_t out[8];
    size_t n = 0;
    EXPECT_TRUE(ccbox::box::base64url_decode("QQ", 2, out, sizeof out, &n));
    EXPECT_EQ(n, 1u);
    EXPECT_EQ(out[0], 'A');
    EXPECT_FALSE(ccbox::box::base64url_decode("QR", 2, out, sizeof out, &n)) << "non-zero unused bits";
    EXPECT_FALSE(ccbox::box::base64url_decode("Q", 1, out, sizeof out, &n));
    EXPECT_FALSE(ccbox::box::base64url_decode("QQ==", 4, out, sizeof out, &n));
    EXPECT_FALSE(ccbox::box::base64url_decode("Q+Q/", 4, out, sizeof out, &n)) << "not the URL alphabet";
    EXPECT_FALSE(ccbox::box::base64url_decode("QUFBQUFBQUFBQQ", 14, out, sizeof out, &n)) << "too small a buffer";
    const uint8_t all[] = {0xfb, 0xff, 0xbf, 0x00, 0x10};
    char enc[16];
    ASSERT_TRUE(ccbox::box::base64url_encode(all, sizeof all, enc, sizeof enc, &n));
    EXPECT_EQ(std::string(enc, n), b64url(all, sizeof all));
    ASSERT_TRUE(ccbox::box::base64url_decode(enc, n, out, sizeof out, &n));
    EXPECT_EQ(std::memcmp(out, all, sizeof all), 0);
}

}  // namespace
