// The confidential-analytics enclave (README.md). Keys arrive by attested release (or, for
// development, through ca_use_development_keys); the encrypted CSV streams in through ca_read
// one piece at a time and is decrypted, verified and aggregated chunk by chunk; the aggregates
// go out encrypted under the result key through ca_write, and only after every input chunk,
// the final one included, has verified and every row has parsed. Anything else — a bad chunk,
// a malformed row, a host that answers a read with more bytes than asked — ends the job with an
// error and nothing written. So does a result key other than the one the owner's input commits
// to in its authenticated header (a key a host's own broker released), or an input without
// such a commitment (docs/box-format.md, "Result key check").
#include <ccbox/box.hpp>
#include <ccbox/enclave.h>
#include <ccbox/keyrelease.h>

#include "aggregate.hpp"
#include "analytics_t.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

constexpr size_t kReadSize = 1 << 20;
constexpr uint32_t kResultChunkSize = 64 * 1024;

struct KeySlot {
    uint8_t key[32];
    bool ready;
    char key_id[256];  // the released key's id ("" for development keys)
    ccbox_key_release_t* release;
};
KeySlot g_slots[2];

void set_error(char* out, const char* what, const char* detail = nullptr) {
    std::snprintf(out, 256, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

void clear_keys() {
    for (KeySlot& s : g_slots) {
        explicit_bzero(s.key, sizeof s.key);
        s.ready = false;
        s.key_id[0] = 0;
    }
}

struct Job {
    analytics::Aggregator aggregator;
};

bool to_aggregator(void* context, const uint8_t* data, size_t size, bool) {
    return static_cast<Job*>(context)->aggregator.feed(reinterpret_cast<const char*>(data), size);
}

struct WriteState {
    ccbox_result_t result = CCBOX_OK;
};

bool to_host(void* context, const uint8_t* data, size_t size, bool final) {
    auto* w = static_cast<WriteState*>(context);
    int rc = -1;
    w->result = ca_write(&rc, data, size, final ? 1 : 0);
    if (w->result == CCBOX_OK && rc != 0)
        w->result = CCBOX_IO_ERROR;
    return w->result == CCBOX_OK;
}

// The key id K of a released kid "K/N".
bool same_key(const char* released_kid, const char* envelope_key_id) {
    const size_t n = std::strlen(envelope_key_id);
    return std::strncmp(released_kid, envelope_key_id, n) == 0 &&
           (released_kid[n] == 0 || released_kid[n] == '/');
}

int run_job(const char* result_key_id, char* error, uint64_t* rows) {
    Job* job = new (std::nothrow) Job();
    auto* buffer = static_cast<uint8_t*>(std::malloc(kReadSize));
    if (!job || !buffer) {
        delete job;
        std::free(buffer);
        set_error(error, "out of enclave memory");
        return CCBOX_OUT_OF_MEMORY;
    }
    int result = CCBOX_OK;
    {
        ccbox::box::Decryptor input(g_slots[0].key, 32, to_aggregator, job);
        // The owner commits the input to the result key (docs/box-format.md): a result key the
        // host chose (its own broker's JWE, say) is refused once the data key has authenticated
        // the header, before a row is read. Inputs without a commitment are refused.
        ccbox::box::Error expect = input.expect_result_key(g_slots[1].key, 32);
        bool checked_key_id = false;
        for (; expect == ccbox::box::Error::ok;) {
            size_t got = 0;
            int rc = -1;
            ccbox_result_t call = ca_read(&rc, buffer, kReadSize, &got);
            if (call != CCBOX_OK || rc != 0) {
                set_error(error, "reading the input failed (host)");
                result = call != CCBOX_OK ? call : CCBOX_IO_ERROR;
                break;
            }
            if (got > kReadSize) {
                set_error(error, "the host answered a read with more bytes than asked");
                result = CCBOX_OUT_OF_BOUNDS;
                break;
            }
            ccbox::box::Error e = got ? input.feed(buffer, got) : input.finish();
            if (e == ccbox::box::Error::ok && !checked_key_id && input.header_ready()) {
                checked_key_id = true;
                if (g_slots[0].key_id[0] && !same_key(g_slots[0].key_id, input.header().key_id)) {
                    set_error(error, "the input envelope names another key than the released data key");
                    result = CCBOX_VERIFY_FAILED;
                    break;
                }
            }
            if (e == ccbox::box::Error::sink_failed) {
                set_error(error, "malformed input", job->aggregator.error().c_str());
                result = CCBOX_INVALID_PARAMETER;
                break;
            }
            if (e != ccbox::box::Error::ok) {
                set_error(error, "the input envelope was refused", ccbox::box::error_text(e));
                result = e == ccbox::box::Error::authentication_failed || e == ccbox::box::Error::result_key_mismatch
                             ? CCBOX_VERIFY_FAILED
                             : CCBOX_INVALID_PARAMETER;
                break;
            }
            if (got == 0)
                break;
        }
        if (expect != ccbox::box::Error::ok) {
            set_error(error, "the result key cannot be checked", ccbox::box::error_text(expect));
            result = CCBOX_UNEXPECTED;
        }
    }
    explicit_bzero(buffer, kReadSize);
    std::free(buffer);
    if (result == CCBOX_OK && !job->aggregator.finish()) {
        set_error(error, "malformed input", job->aggregator.error().c_str());
        result = CCBOX_INVALID_PARAMETER;
    }
    if (result == CCBOX_OK) {
        std::string csv = job->aggregator.result_csv();
        uint8_t file_id[ccbox::box::kFileIdSize];
        WriteState w;
        ccbox::box::Error e = ccbox::box::Error::crypto_error;
        if (ccbox_random(file_id, sizeof file_id) == CCBOX_OK) {
            ccbox::box::Encryptor out(g_slots[1].key, 32, result_key_id, kResultChunkSize, file_id, to_host, &w);
            e = out.feed(reinterpret_cast<const uint8_t*>(csv.data()), csv.size());
            if (e == ccbox::box::Error::ok)
                e = out.finish();
        }
        explicit_bzero(csv.data(), csv.size());
        if (e != ccbox::box::Error::ok) {
            set_error(error, "writing the result failed", ccbox::box::error_text(e));
            result = w.result != CCBOX_OK ? w.result : CCBOX_CRYPTO_ERROR;
        }
        *rows = job->aggregator.rows();
    }
    delete job;
    return result;
}

}  // namespace

int ca_release_begin(int slot, const uint8_t* nonce, uint8_t* evidence, size_t capacity, size_t* evidence_size,
                     uint8_t* point) {
    if (slot != 0 && slot != 1)
        return CCBOX_INVALID_PARAMETER;
    KeySlot& s = g_slots[slot];
    ccbox_key_release_free(s.release);
    s.release = nullptr;
    uint8_t* ev = nullptr;
    size_t size = 0;
    ccbox_result_t r = ccbox_key_release_begin(nonce, &s.release, &ev, &size, point);
    if (r != CCBOX_OK)
        return r;
    *evidence_size = size;
    if (size > capacity)
        r = CCBOX_BUFFER_TOO_SMALL;
    else
        std::memcpy(evidence, ev, size);
    ccbox_free_evidence(ev);
    return r;
}

int ca_release_finish(int slot, const char* jwe, size_t jwe_size, const char* key_id, char* error) {
    if (slot != 0 && slot != 1)
        return CCBOX_INVALID_PARAMETER;
    KeySlot& s = g_slots[slot];
    if (!key_id || !*key_id) {  // the kid check is not optional here
        set_error(error, "no key id given for the release");
        return CCBOX_INVALID_PARAMETER;
    }
    if (!s.release) {
        set_error(error, "no key release in progress for this slot");
        return CCBOX_INVALID_PARAMETER;
    }
    size_t size = 0;
    uint8_t key[32];
    ccbox_result_t r = ccbox_key_release_finish(s.release, jwe, jwe_size, key_id, key, sizeof key, &size);
    if (r == CCBOX_OK && size != 32) {
        set_error(error, "the released key is not 32 bytes");
        r = CCBOX_INVALID_PARAMETER;
    } else if (r != CCBOX_OK) {
        set_error(error, "key release refused", ccbox_key_release_error(s.release));
    } else {
        std::memcpy(s.key, key, 32);
        s.ready = true;
        std::snprintf(s.key_id, sizeof s.key_id, "%s", key_id);
    }
    explicit_bzero(key, sizeof key);
    ccbox_key_release_free(s.release);
    s.release = nullptr;
    return r;
}

int ca_use_development_keys(const uint8_t* data_key, const uint8_t* result_key) {
#ifdef CA_RELEASE_ONLY
    (void)data_key;
    (void)result_key;
    return CCBOX_UNSUPPORTED;
#else
    std::memcpy(g_slots[0].key, data_key, 32);
    std::memcpy(g_slots[1].key, result_key, 32);
    g_slots[0].ready = g_slots[1].ready = true;
    g_slots[0].key_id[0] = g_slots[1].key_id[0] = 0;
    return CCBOX_OK;
#endif
}

int ca_run(const char* result_key_id, char* error, uint64_t* rows) {
    *rows = 0;
    if (!g_slots[0].ready || !g_slots[1].ready) {
        set_error(error, "the data key and the result key must be released first");
        return CCBOX_INVALID_PARAMETER;
    }
    if (g_slots[1].key_id[0] && !same_key(g_slots[1].key_id, result_key_id)) {
        set_error(error, "the result key id is not the released result key's");
        clear_keys();
        return CCBOX_VERIFY_FAILED;
    }
    int r;
    try {
        r = run_job(result_key_id, error, rows);
    } catch (...) {
        set_error(error, "out of enclave memory");
        r = CCBOX_OUT_OF_MEMORY;
    }
    clear_keys();  // one job per release
    return r;
}
