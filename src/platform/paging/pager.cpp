#include "platform/paging/pager.hpp"

#include "common/sgx/arch.h"

#include <linux/userfaultfd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

namespace ccbox::paging {
namespace {

constexpr uint32_t kSlots = 512;  // per version-array page (SGX_VA_SLOT_COUNT)
constexpr uint64_t kReserve = 8;  // EPC pages kept for version-array pages
enum : uint8_t { kAbsent = 0, kResident = 1, kEvicted = 2 };

Error paging_error(const std::string& what) { return Error(CCBOX_ENCLAVE_ABORTED, what); }
Error system_error(const std::string& what) {
    return Error(CCBOX_PLATFORM_ERROR, what + ": " + std::strerror(errno));
}

uint64_t va_flags() { return static_cast<uint64_t>(sgx::PageType::kVa) << sgx::secinfo_flags::kPageTypeShift; }

// A VA page's "linear address": outside every user address, distinct per level and index.
uint64_t va_address(uint32_t level, uint32_t index) {
    return (static_cast<uint64_t>(level + 1) << 56) | (static_cast<uint64_t>(index) << 12);
}

}  // namespace

struct Pager::VaPage {
    uint8_t state = kAbsent;  // kAbsent: holds no version (needs no EPC)
    uint8_t referenced = 0;
    uint16_t used = 0;        // occupied slots
    uint32_t pins = 0;
    uint32_t generation = 0;
    std::unique_ptr<uint64_t[]> slots;
};

struct Pager::Space {
    uint64_t id = 0;
    uint64_t size = 0, pages = 0, base = 0;
    int uffd = -1, memory_fd = -1, backing_fd = -1;
    uint8_t* backing = nullptr;  // untrusted: ciphertext and PCMDs
    BackingLayout layout;
    std::vector<uint16_t> flags;
    std::vector<uint8_t> state, referenced;
    std::vector<uint32_t> generation;
    std::vector<std::vector<VaPage>> va;  // va[level][index]; the last level has one page, the root
    std::vector<uint64_t> va_first;       // backing index of each level's first VA page
    PagingCounters counters;

    uint32_t top() const { return static_cast<uint32_t>(va.size() - 1); }
    uint8_t* data(uint32_t page) const { return backing + layout.data_offset + uint64_t(page) * kPageSize; }
    uint8_t* pcmd(uint32_t page) const { return backing + layout.pcmd_offset + uint64_t(page) * kPcmdSize; }
    uint8_t* va_data(uint32_t level, uint32_t i) const {
        return backing + layout.va_data_offset + (va_first[level] + i) * kPageSize;
    }
    uint8_t* va_pcmd(uint32_t level, uint32_t i) const {
        return backing + layout.va_pcmd_offset + (va_first[level] + i) * kPcmdSize;
    }
};

Pager::Pager(uint64_t capacity_pages) : capacity_(capacity_pages), reserve_(kReserve) {
    void* p = ::mmap(nullptr, 2 * kPageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    scratch_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
    if (scratch_)
        ::madvise(scratch_, 2 * kPageSize, MADV_DONTDUMP);
}

Pager::~Pager() {
    std::vector<uint64_t> ids;
    for (const auto& [id, s] : spaces_)
        ids.push_back(id);
    for (uint64_t id : ids)
        remove(id);
    if (scratch_) {
        std::memset(scratch_, 0, 2 * kPageSize);
        ::munmap(scratch_, 2 * kPageSize);
    }
}

Pager::Space* Pager::find(uint64_t id) const {
    auto it = spaces_.find(id);
    return it == spaces_.end() ? nullptr : it->second.get();
}

Result<int> Pager::create_space(uint64_t id, uint64_t size, std::vector<uint16_t> page_flags) {
    if (!scratch_)
        return Error(CCBOX_OUT_OF_MEMORY, "the pager has no buffers");
    if (size == 0 || size % kPageSize || page_flags.size() != size / kPageSize || spaces_.count(id) ||
        size / kPageSize > UINT32_MAX)
        return Error(CCBOX_UNEXPECTED, "bad paging space");
    auto s = std::make_unique<Space>();
    s->id = id;
    s->size = size;
    s->pages = size / kPageSize;
    s->flags = std::move(page_flags);
    s->state.assign(s->pages, kAbsent);
    s->referenced.assign(s->pages, 0);
    s->generation.assign(s->pages, 0);
    // The version tree: level 0 holds the versions of enclave pages, level l + 1 those of level l.
    uint64_t count = (s->pages + kSlots - 1) / kSlots, total = 0;
    for (;;) {
        s->va_first.push_back(total);
        s->va.emplace_back(count);
        total += count;
        if (count == 1)
            break;
        count = (count + kSlots - 1) / kSlots;
    }
    s->layout.pages = s->pages;
    s->layout.data_offset = 0;
    s->layout.pcmd_offset = s->pages * kPageSize;
    s->layout.va_pages = total;
    s->layout.va_data_offset = s->layout.pcmd_offset + ((s->pages * kPcmdSize + kPageSize - 1) & ~(kPageSize - 1));
    s->layout.va_pcmd_offset = s->layout.va_data_offset + total * kPageSize;
    s->layout.size = (s->layout.va_pcmd_offset + total * kPcmdSize + kPageSize - 1) & ~(kPageSize - 1);

    auto fail = [&](const std::string& what) {
        Error e = system_error(what);
        if (s->backing)
            ::munmap(s->backing, s->layout.size);
        for (int fd : {s->memory_fd, s->backing_fd})
            if (fd >= 0)
                ::close(fd);
        return e;
    };
    s->memory_fd = ::memfd_create("ccbox-epc", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (s->memory_fd < 0 && errno == EINVAL)
        s->memory_fd = ::memfd_create("ccbox-epc", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    s->backing_fd = ::memfd_create("ccbox-epc-backing", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (s->memory_fd < 0 || s->backing_fd < 0)
        return fail("memfd_create");
    // Fixed sizes: no one holding a descriptor can make the platform's mappings fault.
    if (::ftruncate(s->memory_fd, static_cast<off_t>(size)) != 0 ||
        ::ftruncate(s->backing_fd, static_cast<off_t>(s->layout.size)) != 0 ||
        ::fcntl(s->memory_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0 ||
        ::fcntl(s->backing_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
        return fail("sizing the enclave memory");
    void* b = ::mmap(nullptr, s->layout.size, PROT_READ | PROT_WRITE, MAP_SHARED, s->backing_fd, 0);
    if (b == MAP_FAILED)
        return fail("mapping the backing memory");
    s->backing = static_cast<uint8_t*>(b);
    const int given = ::fcntl(s->memory_fd, F_DUPFD_CLOEXEC, 0);
    if (given < 0)
        return fail("dup");
    spaces_[id] = std::move(s);
    return given;
}

Result<void> Pager::attach(uint64_t id, int uffd, uint64_t base) {
    Space* s = find(id);
    if (!s || s->uffd >= 0 || base == 0 || base % s->size != 0) {
        ::close(uffd);
        return Error(CCBOX_PROTOCOL_ERROR, "the enclave process announced its paging twice or at a bad base");
    }
    s->uffd = uffd;
    s->base = base;
    return ok_result();
}

void Pager::remove(uint64_t id) {
    auto it = spaces_.find(id);
    if (it == spaces_.end())
        return;
    Space& s = *it->second;
    if (s.uffd >= 0)
        ::close(s.uffd);
    ::munmap(s.backing, s.layout.size);
    ::close(s.memory_fd);
    ::close(s.backing_fd);
    resident_ -= s.counters.resident + s.counters.va_resident;
    removed_.page_ins += s.counters.page_ins;
    removed_.page_outs += s.counters.page_outs;
    removed_.zero_fills += s.counters.zero_fills;
    spaces_.erase(it);  // its clock entries go stale: they name a space that is gone
}

int Pager::uffd_of(uint64_t id) const {
    const Space* s = find(id);
    return s ? s->uffd : -1;
}

PagingCounters Pager::counters_of(uint64_t id) const {
    const Space* s = find(id);
    return s ? s->counters : PagingCounters{};
}

PagingCounters Pager::totals() const {
    PagingCounters t = removed_;
    for (const auto& [id, s] : spaces_) {
        const PagingCounters& c = s->counters;
        t.page_ins += c.page_ins;
        t.page_outs += c.page_outs;
        t.zero_fills += c.zero_fills;
        t.resident += c.resident;
        t.evicted += c.evicted;
        t.va_resident += c.va_resident;
        t.va_evicted += c.va_evicted;
    }
    return t;
}

Result<int> Pager::backing_fd(uint64_t id, BackingLayout* layout) const {
    const Space* s = find(id);
    if (!s)
        return Error(CCBOX_NOT_FOUND, "no paging space for enclave " + std::to_string(id));
    *layout = s->layout;
    const int fd = ::fcntl(s->backing_fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return system_error("dup");
    return fd;
}

// ---- faults ----

Result<void> Pager::serve(uint64_t id) {
    Space* s = find(id);
    if (!s || s->uffd < 0)
        return ok_result();
    uffd_msg messages[16];
    for (;;) {
        const ssize_t n = ::read(s->uffd, messages, sizeof messages);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ok_result();  // EAGAIN: served everything
        for (size_t i = 0; i < static_cast<size_t>(n) / sizeof(uffd_msg); ++i)
            if (messages[i].event == UFFD_EVENT_PAGEFAULT)
                CCBOX_TRY(fault(*s, messages[i].arg.pagefault.address, messages[i].arg.pagefault.flags));
    }
}

Result<void> Pager::fault(Space& s, uint64_t address, uint64_t fault_flags) {
    if (address < s.base || address - s.base >= s.size)
        return paging_error("a fault outside the enclave's memory");
    const uint32_t page = static_cast<uint32_t>((address - s.base) / kPageSize);
    if (s.flags[page] == 0)
        return paging_error("a fault on a page the enclave was never given");
    uffdio_range range{s.base + uint64_t(page) * kPageSize, kPageSize};
    if (s.state[page] == kResident || (fault_flags & UFFD_PAGEFAULT_FLAG_WP)) {
        // Raced with an install, or a write that waited while the page was evicted: try again.
        (void)::ioctl(s.uffd, UFFDIO_WAKE, &range);
        return ok_result();
    }
    CCBOX_TRY(make_room(capacity_ - reserve_));
    if (s.state[page] == kEvicted)
        return reload_page(s, page);
    std::memset(scratch_, 0, kPageSize);
    ++s.counters.zero_fills;
    return install(s, page, scratch_);
}

Result<void> Pager::install(Space& s, uint32_t page, const uint8_t* content) {
    uffdio_copy copy{};
    copy.dst = s.base + uint64_t(page) * kPageSize;
    copy.src = reinterpret_cast<uint64_t>(content);
    copy.len = kPageSize;
    for (;;) {
        copy.copy = 0;
        if (::ioctl(s.uffd, UFFDIO_COPY, &copy) == 0)
            break;
        if (errno == EAGAIN || errno == EINTR)
            continue;
        // EEXIST: a page appeared without the platform, which only a broken contract allows.
        return errno == EEXIST ? paging_error("an enclave page appeared that the platform did not install")
                               : system_error("UFFDIO_COPY");
    }
    s.state[page] = kResident;
    s.referenced[page] = 1;
    ++s.generation[page];
    ++s.counters.resident;
    resident_up();
    push_clock(s, page, 0);
    return ok_result();
}

void Pager::resident_up() {
    ++resident_;
    if (resident_ > high_water_)
        high_water_ = resident_;
}

void Pager::push_clock(Space& s, uint32_t index, uint8_t level) {
    const uint32_t generation = level == 0 ? s.generation[index] : s.va[level - 1][index].generation;
    clock_.push_back({s.id, index, level, generation});
}

// ---- reclaim: a clock over every enclave's pages; a page is spared once after each fault ----

Result<void> Pager::make_room(uint64_t limit) {
    while (resident_ + 1 > limit) {
        CCBOX_ASSIGN_OR_RETURN(bool freed, reclaim_one());
        if (!freed)
            return Error(CCBOX_OUT_OF_EPC, "no EPC page can be evicted (" + std::to_string(resident_) +
                                               " resident of " + std::to_string(capacity_) + ")");
    }
    return ok_result();
}

Result<bool> Pager::reclaim_one() {
    for (size_t budget = 2 * clock_.size() + 2; budget > 0 && !clock_.empty(); --budget) {
        const ClockEntry e = clock_.front();
        clock_.pop_front();
        Space* s = find(e.space);
        if (!s)
            continue;
        if (e.level == 0) {
            if (s->state[e.index] != kResident || s->generation[e.index] != e.generation)
                continue;
            if (s->referenced[e.index]) {
                s->referenced[e.index] = 0;
                clock_.push_back(e);
                continue;
            }
            // Its version needs a resident VA page; one that must be reloaded first comes out of
            // the reserve, and only when the whole chain fits.
            uint64_t missing = 0;
            for (uint32_t l = 0, i = e.index / kSlots; l <= s->top() && s->va[l][i].state != kResident;
                 ++l, i /= kSlots)
                ++missing;
            if (missing > 0 && resident_ + missing > capacity_) {
                clock_.push_back(e);
                continue;
            }
            CCBOX_TRY(evict_page(*s, e.index));
            return true;
        }
        const uint32_t level = e.level - 1;
        VaPage& v = s->va[level][e.index];
        if (v.state != kResident || v.generation != e.generation || level == s->top())
            continue;
        uint64_t missing = 0;  // its parent and theirs that must come in first (from the reserve)
        for (uint32_t l = level + 1, i = e.index / kSlots; l <= s->top() && s->va[l][i].state != kResident;
             ++l, i /= kSlots)
            ++missing;
        if (v.pins > 0 || v.referenced || resident_ + missing > capacity_) {
            v.referenced = 0;
            clock_.push_back(e);
            continue;
        }
        CCBOX_TRY(evict_va(*s, level, e.index));
        return true;
    }
    return false;
}

// ---- EWB and ELDU. What is read from the backing memory is copied into the platform's own
// buffer before it is checked: the untrusted side may change it at any time. ----

Result<Pager::VaPage*> Pager::va_resident(Space& s, uint32_t level, uint32_t index) {
    VaPage& v = s.va[level][index];
    if (v.state == kResident) {
        v.referenced = 1;
        return &v;
    }
    VaPage* parent = nullptr;
    if (v.state == kEvicted) {
        CCBOX_ASSIGN_OR_RETURN(parent, va_resident(s, level + 1, index / kSlots));
        ++parent->pins;
    }
    auto room = make_room(capacity_);
    if (parent)
        --parent->pins;
    CCBOX_TRY(room);
    auto slots = std::make_unique<uint64_t[]>(kSlots);
    if (v.state == kEvicted) {
        const uint64_t version = parent->slots[index % kSlots];
        uint8_t* ciphertext = scratch_;
        Pcmd pcmd;
        std::memcpy(ciphertext, s.va_data(level, index), kPageSize);
        std::memcpy(&pcmd, s.va_pcmd(level, index), sizeof pcmd);
        const PageBinding binding{s.id, va_address(level, index), va_flags()};
        if (version == 0 || !crypto_.open(binding, version, ciphertext, pcmd, reinterpret_cast<uint8_t*>(slots.get())))
            return paging_error("a version-array page of the enclave failed verification on reload (level " +
                                std::to_string(level) + ", page " + std::to_string(index) + ")");
        parent->slots[index % kSlots] = 0;  // consumed
        std::memset(s.va_pcmd(level, index), 0, kPcmdSize);
        --s.counters.va_evicted;
        va_release_slot(s, level + 1, index / kSlots);
    }
    v.slots = std::move(slots);
    v.state = kResident;
    v.referenced = 1;
    ++v.generation;
    ++s.counters.va_resident;
    resident_up();
    if (level != s.top())
        push_clock(s, index, static_cast<uint8_t>(level + 1));
    return &v;
}

// A slot of VA page (level, index) was consumed; a VA page that holds no version needs no EPC.
void Pager::va_release_slot(Space& s, uint32_t level, uint32_t index) {
    VaPage& v = s.va[level][index];
    v.referenced = 1;
    if (--v.used > 0 || v.pins > 0)
        return;
    v.slots.reset();
    v.state = kAbsent;
    ++v.generation;
    --s.counters.va_resident;
    --resident_;
}

Result<void> Pager::evict_page(Space& s, uint32_t page) {
    CCBOX_ASSIGN_OR_RETURN(VaPage * va, va_resident(s, 0, page / kSlots));
    const uint64_t address = s.base + uint64_t(page) * kPageSize;
    // EBLOCK: no write lands between the copy and the punch; a writer waits for the platform.
    uffdio_writeprotect wp{{address, kPageSize}, UFFDIO_WRITEPROTECT_MODE_WP};
    if (::ioctl(s.uffd, UFFDIO_WRITEPROTECT, &wp) != 0)
        return system_error("UFFDIO_WRITEPROTECT");
    const uint64_t version = next_version_++;
    Pcmd pcmd;
    const PageBinding binding{s.id, address, s.flags[page]};
    // pread, not the platform's mapping: a page the platform never maps costs no TLB shootdown
    // in the platform when it is punched out.
    uint8_t* plaintext = scratch_ + kPageSize;
    if (::pread(s.memory_fd, plaintext, kPageSize, static_cast<off_t>(page * kPageSize)) != static_cast<ssize_t>(kPageSize))
        return system_error("reading a page to evict");
    const bool sealed = crypto_.seal(binding, version, plaintext, s.data(page), &pcmd);
    std::memset(plaintext, 0, kPageSize);
    if (!sealed)
        return Error(CCBOX_CRYPTO_ERROR, "AES-GCM failed while evicting a page");
    std::memcpy(s.pcmd(page), &pcmd, sizeof pcmd);
    if (::fallocate(s.memory_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(page * kPageSize),
                    static_cast<off_t>(kPageSize)) != 0)
        return system_error("punching an evicted page out");
    uffdio_range range{address, kPageSize};
    (void)::ioctl(s.uffd, UFFDIO_WAKE, &range);  // writers retry and fault on the missing page
    va->slots[page % kSlots] = version;
    ++va->used;
    va->referenced = 1;
    s.state[page] = kEvicted;
    ++s.generation[page];
    --s.counters.resident;
    ++s.counters.evicted;
    ++s.counters.page_outs;
    --resident_;
    return ok_result();
}

Result<void> Pager::evict_va(Space& s, uint32_t level, uint32_t index) {
    VaPage& v = s.va[level][index];
    ++v.pins;
    auto resident_parent = va_resident(s, level + 1, index / kSlots);
    --v.pins;
    CCBOX_TRY(resident_parent);
    VaPage& parent = **resident_parent;
    const uint64_t version = next_version_++;
    Pcmd pcmd;
    const PageBinding binding{s.id, va_address(level, index), va_flags()};
    if (!crypto_.seal(binding, version, reinterpret_cast<const uint8_t*>(v.slots.get()), s.va_data(level, index),
                      &pcmd))
        return Error(CCBOX_CRYPTO_ERROR, "AES-GCM failed while evicting a version-array page");
    std::memcpy(s.va_pcmd(level, index), &pcmd, sizeof pcmd);
    std::memset(v.slots.get(), 0, kPageSize);
    v.slots.reset();
    v.state = kEvicted;
    ++v.generation;
    parent.slots[index % kSlots] = version;
    ++parent.used;
    parent.referenced = 1;
    --s.counters.va_resident;
    ++s.counters.va_evicted;
    --resident_;
    return ok_result();
}

Result<void> Pager::reload_page(Space& s, uint32_t page) {
    CCBOX_ASSIGN_OR_RETURN(VaPage * va, va_resident(s, 0, page / kSlots));
    const uint64_t version = va->slots[page % kSlots];
    const uint64_t address = s.base + uint64_t(page) * kPageSize;
    uint8_t* ciphertext = scratch_;
    uint8_t* plaintext = scratch_ + kPageSize;
    Pcmd pcmd;
    std::memcpy(ciphertext, s.data(page), kPageSize);
    std::memcpy(&pcmd, s.pcmd(page), sizeof pcmd);
    const PageBinding binding{s.id, address, s.flags[page]};
    if (version == 0)
        return paging_error("an evicted page's version slot was already consumed");
    if (!crypto_.open(binding, version, ciphertext, pcmd, plaintext))
        return paging_error("an evicted enclave page failed verification on reload (page " + std::to_string(page) +
                            "): its ciphertext, metadata, address, enclave or version is not what was evicted");
    va->slots[page % kSlots] = 0;  // consumed
    std::memset(s.pcmd(page), 0, kPcmdSize);
    --s.counters.evicted;
    ++s.counters.page_ins;
    s.state[page] = kAbsent;  // install() makes it resident
    va_release_slot(s, 0, page / kSlots);
    auto installed = install(s, page, plaintext);
    std::memset(plaintext, 0, kPageSize);
    return installed;
}

}  // namespace ccbox::paging
