// Fuzzes the box envelope's parser (src/common/box/envelope.cpp) as an enclave meets it: any
// bytes, fed in pieces of any size (the first input byte picks the piece size), under a fixed
// key (the seeds in fuzz/seeds/box are envelopes under that key, so mutations get past the
// header into the records). A verified chunk's plaintext must never exceed the chunk size.
// The first byte's top bit makes the decryptor expect a result key (0x80 + i), as the analytics
// enclave does: then no plaintext may reach the sink unless the header commits to that key.
#include <ccbox/box.hpp>

#include <cstdlib>
#include <cstring>

namespace {

struct Seen {
    size_t chunk_size = 0;
    bool final = false;
};

bool check(void* context, const uint8_t*, size_t size, bool final) {
    auto* s = static_cast<Seen*>(context);
    if (s->final || (s->chunk_size && size > s->chunk_size))
        std::abort();  // output after the final chunk, or a chunk larger than declared
    s->final = final;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    uint8_t key[32];
    for (int i = 0; i < 32; ++i)
        key[i] = uint8_t(i);
    const size_t piece = size_t(data[0] & 0x7f) * 7 + 1;
    const bool expect = (data[0] & 0x80) != 0;
    uint8_t result_key[32];
    for (int i = 0; i < 32; ++i)
        result_key[i] = uint8_t(0x80 + i);
    ++data;
    --size;
    Seen seen;
    ccbox::box::Decryptor dec(key, sizeof key, check, &seen);
    if (expect && dec.expect_result_key(result_key, sizeof result_key) != ccbox::box::Error::ok)
        std::abort();
    ccbox::box::Error e = ccbox::box::Error::ok;
    for (size_t at = 0; at < size && e == ccbox::box::Error::ok; at += piece) {
        e = dec.feed(data + at, size - at < piece ? size - at : piece);
        if (dec.header_ready())
            seen.chunk_size = dec.header().chunk_size;
        if (expect && seen.final && !dec.header().has_result_key_check)
            std::abort();  // plaintext released from a file that commits to no result key
    }
    const ccbox::box::Error end = dec.finish();
    // finish() must agree with whether the final chunk was delivered; the one error after a
    // delivered final chunk is bytes following it (extension).
    if (end == ccbox::box::Error::ok ? !seen.final : seen.final && end != ccbox::box::Error::trailing_data)
        std::abort();
    return 0;
}
