#include "services/keybroker/release.hpp"

#include "attestation/quote.hpp"
#include "services/keybroker/base64url.hpp"
#include "services/keybroker/jwe.hpp"
#include "support/hex.hpp"
#include "support/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <ctime>
#include <optional>

namespace ccbox::keybroker {

using namespace attestation;

Claims claims_of(const Verdict& v) {
    Claims c;
    c.mrenclave = to_hex(std::span(v.report.mrenclave));
    c.mrsigner = to_hex(std::span(v.report.mrsigner));
    c.product_id = v.report.isvprodid;
    c.svn = v.report.isvsvn;
    c.debug = v.debug;
    c.tcb_status = std::string(tcb_status_name(v.tcb_status));
    c.advisory_ids = v.advisory_ids;
    c.platform_mode = std::string(platform_mode_name(v.platform_mode));
    return c;
}

Answer Releaser::challenge() {
    std::string nonce(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), 32) != 1)
        return Answer::refusal(500, "internal", "no randomness");
    if (!nonces_.add(nonce))
        return Answer::refusal(503, "too_many_challenges", "too many outstanding challenges; retry later");
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(nonces_.ttl()).count();
    return {200, {{"nonce", b64url_encode(std::string_view(nonce))}, {"expires_in", ttl}}};
}

namespace {

struct Refusal {
    int status;
    std::string error, reason;
};

// A 32-byte base64url member of `obj`, or a refusal naming it.
std::optional<std::vector<uint8_t>> member_b64(const nlohmann::json& obj, const char* name, size_t size,
                                               const std::string& where, std::optional<Refusal>* refusal) {
    auto it = obj.find(name);
    std::optional<std::vector<uint8_t>> bytes;
    if (it != obj.end() && it->is_string())
        bytes = b64url_decode(it->get_ref<const std::string&>());
    if (!bytes || (size && bytes->size() != size) || bytes->empty()) {
        *refusal = Refusal{400, "request_malformed",
                           where + name + ": expected " +
                               (size ? "base64url of " + std::to_string(size) + " bytes" : std::string("base64url"))};
        return std::nullopt;
    }
    return bytes;
}

}  // namespace

Answer Releaser::release(const std::string& key_id, const std::string& body) {
    AuditRecord early;
    early.verdict = "refused";
    if (!valid_key_id(key_id)) {
        early.error = "key_id_invalid";
        early.reason = "a key id is 1..64 of A-Z a-z 0-9 . _ - (not starting with . or -)";
        if (!store_.append(early).ok())
            return Answer::refusal(500, "audit_failed", "the decision could not be recorded");
        return Answer::refusal(400, early.error, early.reason);
    }

    std::optional<Refusal> refusal;
    std::vector<uint8_t> nonce, evidence, point;
    LoadedCollateral collateral;
    std::optional<Claims> claims;
    const nlohmann::json req = nlohmann::json::parse(body, nullptr, false);
    if (req.is_discarded()) {
        refusal = Refusal{400, "bad_json", "the body is not JSON"};
    } else if (!req.is_object()) {
        refusal = Refusal{400, "request_malformed", std::string("the body is a JSON ") + req.type_name() + ", not an object"};
    } else if (auto n = member_b64(req, "nonce", 32, "", &refusal)) {
        nonce = std::move(*n);
        auto jwk = req.find("public_key");
        if (jwk == req.end() || !jwk->is_object() || jwk->value("kty", nlohmann::json()) != "EC" ||
            jwk->value("crv", nlohmann::json()) != "P-256") {
            refusal = Refusal{400, "request_malformed", "public_key: expected a JWK {\"kty\":\"EC\",\"crv\":\"P-256\",x,y}"};
        } else if (auto x = member_b64(*jwk, "x", 32, "public_key.", &refusal)) {
            if (auto y = member_b64(*jwk, "y", 32, "public_key.", &refusal)) {
                point.push_back(0x04);
                point.insert(point.end(), x->begin(), x->end());
                point.insert(point.end(), y->begin(), y->end());
                if (!p256_public_key(std::span<const uint8_t, 64>(point.data() + 1, 64)))
                    refusal = Refusal{400, "request_malformed", "public_key: not a point on P-256"};
                else if (auto ev = member_b64(req, "evidence", 0, "", &refusal))
                    evidence = std::move(*ev);
            }
        }
    }
    if (!evidence.empty())
        early.evidence_sha256 = to_hex(sha256(evidence));

    // The nonce is spent by any well-formed attempt, whatever happens next.
    if (!refusal) {
        const auto use = nonces_.consume(std::string(nonce.begin(), nonce.end()));
        if (use == NonceStore::Use::kUnknownOrUsed)
            refusal = Refusal{403, "nonce_unknown_or_used", "the nonce was not issued by this broker or was already used"};
        else if (use == NonceStore::Use::kExpired)
            refusal = Refusal{403, "nonce_expired", "the nonce's time to live ran out"};
    }
    if (!refusal) {
        const int64_t now = static_cast<int64_t>(std::time(nullptr));
        auto c = collateral_.get(now);
        if (!c) {
            refusal = Refusal{503, "collateral_unavailable", c.error().message()};
        } else {
            collateral = *c;
            early.collateral_sha256 = collateral.sha256;
            // Evidence = quote ‖ custom claims; the quote's length is in it (436 + signature_data_len),
            // as ccbox_verify_evidence reads it.
            uint32_t sig_len = 0;
            if (evidence.size() >= kQuoteSignedSize + 4)
                std::memcpy(&sig_len, evidence.data() + kQuoteSignedSize, 4);
            if (evidence.size() < kQuoteSignedSize + 4 || sig_len > evidence.size() - kQuoteSignedSize - 4) {
                refusal = Refusal{403, "evidence_invalid", "quote_malformed: the evidence is not a quote followed by claims"};
            } else {
                const auto quote = std::span(evidence).first(kQuoteSignedSize + 4 + sig_len);
                const auto custom = std::span(evidence).subspan(quote.size());
                auto v = verify_quote(quote, *collateral.verified, now);
                if (!v.ok()) {
                    refusal = Refusal{403, "evidence_invalid",
                                      std::string(failure_id(v.error.failure)) + ": " + v.error.message};
                } else {
                    Sha256 h;
                    h.update(nonce);
                    h.update(point);
                    const Digest256 want = h.finish();
                    const uint8_t* rd = v.verdict.report.reportdata;
                    static const uint8_t zero[32] = {};
                    const Digest256 custom_hash = sha256(custom);
                    if (std::memcmp(rd + 32, zero, 32) != 0 || std::memcmp(rd, custom_hash.data(), 32) != 0)
                        refusal = Refusal{403, "evidence_invalid", "REPORTDATA does not bind the evidence's custom claims"};
                    else if (std::memcmp(rd, want.data(), 32) == 0)
                        claims = claims_of(v.verdict);
                    else if (custom.size() != 97 || std::memcmp(custom.data(), nonce.data(), 32) != 0)
                        refusal = Refusal{403, "evidence_not_bound_to_nonce", "the evidence binds another nonce"};
                    else
                        refusal = Refusal{403, "evidence_not_bound_to_key",
                                          "the evidence binds another public key than public_key"};
                }
            }
        }
    }

    Answer answer;
    auto entry = store_.decide(key_id, [&](const std::optional<KeyState>& key, AuditRecord* r) {
        *r = early;
        r->key_id = key_id;
        r->verdict = "refused";
        r->version = key ? key->version : 0;
        auto refuse = [&](int status, const std::string& error, const std::string& reason) {
            r->error = error;
            r->reason = reason;
            answer = Answer::refusal(status, error, reason);
        };
        if (refusal)
            return refuse(refusal->status, refusal->error, refusal->reason);
        if (!key)
            return refuse(404, "key_unknown", "no key " + key_id);
        if (key->revoked)
            return refuse(403, "key_revoked", "key " + key_id + " version " + std::to_string(key->version) + " is revoked");
        if (!key->policy)
            return refuse(403, "policy_missing", "key " + key_id + " has no release policy");
        auto policy = Policy::parse(nlohmann::json::parse(*key->policy, nullptr, false));
        if (!policy)
            return refuse(403, "policy_denied", "policy_denied: the stored policy does not parse");
        if (auto failed = policy->evaluate(*claims))
            return refuse(403, "policy_denied", "policy_denied: " + *failed);
        const std::string kid = key_id + "/" + std::to_string(key->version);
        auto jwe = jwe_wrap(key->material.bytes, kid, std::span<const uint8_t, 65>(point.data(), 65));
        if (!jwe)
            return refuse(500, "internal", "the key could not be wrapped");
        r->verdict = "granted";
        r->error = "";
        r->reason = "granted " + kid;
        answer = {200, {{"key_id", key_id}, {"version", key->version}, {"jwe", *jwe}}};
    });
    if (!entry) {
        // Nothing was committed, so nothing is released.
        return Answer::refusal(500, "audit_failed", "the decision could not be recorded");
    }
    return answer;
}

}  // namespace ccbox::keybroker
