// Fuzzes the box envelope's parser (src/common/box/envelope.cpp) as an enclave meets it: any
// bytes, fed in pieces of any size (the first input byte picks the piece size), under a fixed
// key (the seeds in fuzz/seeds/box are envelopes under that key, so mutations get past the
// header into the records). A verified chunk's plaintext must never exceed the chunk size.
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
    const size_t piece = size_t(data[0]) * 7 + 1;
    ++data;
    --size;
    Seen seen;
    ccbox::box::Decryptor dec(key, sizeof key, check, &seen);
    ccbox::box::Error e = ccbox::box::Error::ok;
    for (size_t at = 0; at < size && e == ccbox::box::Error::ok; at += piece) {
        e = dec.feed(data + at, size - at < piece ? size - at : piece);
        if (dec.header_ready())
            seen.chunk_size = dec.header().chunk_size;
    }
    const ccbox::box::Error end = dec.finish();
    if ((end == ccbox::box::Error::ok) != seen.final)
        std::abort();  // finish() must agree with whether the final chunk was delivered
    return 0;
}
