#include "host/isolated/arena_heap.hpp"

#include <cstring>

namespace ccbox::host {
namespace {
constexpr size_t kAlign = 16;
}

ArenaHeap::ArenaHeap(uint8_t* base, size_t size) : base_(reinterpret_cast<uintptr_t>(base)), size_(size) {
    if (size_ >= kAlign)
        free_[base_] = size_ / kAlign * kAlign;
}

void ArenaHeap::insert_free(uintptr_t start, size_t size) {
    auto next = free_.lower_bound(start);
    if (next != free_.end() && start + size == next->first) {
        size += next->second;
        next = free_.erase(next);
    }
    if (next != free_.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == start) {
            prev->second += size;
            return;
        }
    }
    free_[start] = size;
}

void* ArenaHeap::allocate(size_t size) {
    if (size > size_)
        return nullptr;
    size = size == 0 ? kAlign : (size + kAlign - 1) / kAlign * kAlign;
    std::lock_guard lock(mutex_);
    for (auto it = free_.begin(); it != free_.end(); ++it) {
        if (it->second < size)
            continue;
        uintptr_t start = it->first;
        size_t remaining = it->second - size;
        free_.erase(it);
        if (remaining)
            free_[start + size] = remaining;
        used_[start] = size;
        return reinterpret_cast<void*>(start);
    }
    return nullptr;
}

void ArenaHeap::free(void* pointer) {
    std::lock_guard lock(mutex_);
    auto it = used_.find(reinterpret_cast<uintptr_t>(pointer));
    if (it == used_.end())
        return;
    insert_free(it->first, it->second);
    used_.erase(it);
}

void* ArenaHeap::reallocate(void* pointer, size_t size) {
    if (!pointer)
        return allocate(size);
    size_t old_size;
    {
        std::lock_guard lock(mutex_);
        auto it = used_.find(reinterpret_cast<uintptr_t>(pointer));
        if (it == used_.end())
            return nullptr;
        old_size = it->second;
    }
    void* fresh = allocate(size);
    if (fresh) {
        std::memcpy(fresh, pointer, old_size < size ? old_size : size);
        free(pointer);
    }
    return fresh;
}

}  // namespace ccbox::host
