// The platform's EPC pager for the isolated backend (docs/paging.md). Each enclave's memory is a
// memfd the platform owns, mapped shared into the enclave process; the enclave process gives the
// platform a userfaultfd for it before any enclave page is written. The pager keeps the resident
// pages of every enclave together within the SKU's EPC: a clock over all enclaves picks victims,
// which are write-protected, sealed (AES-256-GCM, page_crypto.hpp) into untrusted backing memory,
// and punched out of the memfd; an access to an evicted page faults to the platform, which opens
// and verifies the page and installs it (UFFDIO_COPY). Versions live in version-array pages
// held only in this process, themselves evictable into a version tree. A page that does not
// verify aborts its enclave. Single-threaded: the platform's serving loop calls it.
// Trust domain: platform.
#pragma once

#include "platform/paging/page_crypto.hpp"
#include "support/result.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace ccbox::paging {

struct PagingCounters {
    uint64_t page_ins = 0;   // evicted pages reloaded (ELDU)
    uint64_t page_outs = 0;  // pages evicted (EWB)
    uint64_t zero_fills = 0; // first touches of pages never written (EAUG-like)
    uint64_t resident = 0;   // enclave pages in EPC
    uint64_t evicted = 0;    // enclave pages in backing memory
    uint64_t va_resident = 0;  // version-array pages in EPC
    uint64_t va_evicted = 0;   // version-array pages in backing memory
};

// Where a space's pieces are in its backing memfd (what the test hook hands out).
struct BackingLayout {
    uint64_t pages = 0;        // enclave pages (ELRANGE / 4096)
    uint64_t data_offset = 0;  // ciphertext of enclave page i at data_offset + 4096 i
    uint64_t pcmd_offset = 0;  // its PCMD at pcmd_offset + 128 i (all zero while not evicted)
    uint64_t va_pages = 0;     // version-array pages, all levels
    uint64_t va_data_offset = 0;
    uint64_t va_pcmd_offset = 0;
    uint64_t size = 0;
};

class Pager {
public:
    // `capacity_pages`: the EPC. A few pages of it are kept for version-array pages.
    explicit Pager(uint64_t capacity_pages);
    ~Pager();
    Pager(const Pager&) = delete;
    Pager& operator=(const Pager&) = delete;

    // A space for enclave `id` of `size` bytes of ELRANGE, `page_flags[i]` the SECINFO flags of
    // page i (0: not added). Returns the enclave memory's memfd, which the caller sends to the
    // enclave process and then closes (the pager keeps its own).
    Result<int> create_space(uint64_t id, uint64_t size, std::vector<uint16_t> page_flags);
    // The enclave process mapped the memory at `base` and registered `uffd` (now the pager's).
    Result<void> attach(uint64_t id, int uffd, uint64_t base);
    // Serves the faults waiting on the space's userfaultfd. An error means the enclave must be
    // aborted (a page failed to verify, or the process broke the paging contract).
    Result<void> serve(uint64_t id);
    // Frees the space: resident pages, backing memory, version slots.
    void remove(uint64_t id);

    int uffd_of(uint64_t id) const;  // -1 until attached
    bool has(uint64_t id) const { return spaces_.count(id) != 0; }
    PagingCounters counters_of(uint64_t id) const;
    PagingCounters totals() const;
    uint64_t resident_pages() const { return resident_; }  // enclave and VA pages
    uint64_t capacity_pages() const { return capacity_; }
    uint64_t high_water_pages() const { return high_water_; }
    // The test hook: a duplicate of the backing memfd and its layout.
    Result<int> backing_fd(uint64_t id, BackingLayout* layout) const;

private:
    struct Space;
    struct VaPage;
    struct ClockEntry {
        uint64_t space;
        uint32_t index;     // page, or VA page within its level
        uint8_t level;      // 0: enclave page; l > 0: VA page of level l - 1
        uint32_t generation;
    };

    Space* find(uint64_t id) const;
    Result<void> fault(Space& s, uint64_t address, uint64_t flags);
    Result<void> make_room(uint64_t limit);
    Result<bool> reclaim_one();
    Result<void> evict_page(Space& s, uint32_t page);
    Result<void> evict_va(Space& s, uint32_t level, uint32_t index);
    Result<void> reload_page(Space& s, uint32_t page);
    Result<void> install(Space& s, uint32_t page, const uint8_t* content);
    Result<VaPage*> va_resident(Space& s, uint32_t level, uint32_t index);
    void va_release_slot(Space& s, uint32_t level, uint32_t index);
    void push_clock(Space& s, uint32_t index, uint8_t level);
    void resident_up();

    PageCrypto crypto_;
    uint64_t capacity_;
    uint64_t reserve_;         // kept for VA pages: enclave pages may use capacity_ - reserve_
    uint64_t resident_ = 0;
    uint64_t high_water_ = 0;
    uint64_t next_version_ = 1;
    std::map<uint64_t, std::unique_ptr<Space>> spaces_;
    std::deque<ClockEntry> clock_;
    PagingCounters removed_;   // what spaces that went counted (page-ins and page-outs)
    uint8_t* scratch_ = nullptr;  // page-aligned private buffers: ciphertext, plaintext
};

}  // namespace ccbox::paging
