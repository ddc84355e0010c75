// The contract between the platform's layout engine and the trusted runtime: where things
// are inside ELRANGE, and what the measured thread-data (TD) page of every TCS holds.
// Trust domain: common. The layout engine writes these bytes before measurement, so the
// enclave can trust them: a host that changes them changes MRENCLAVE.
//
// ELRANGE (offsets from the enclave base, which is aligned to the power-of-two size):
//
//   [image pages][heap pages][thread 0][thread 1]...[unused up to the power of two]
//   thread i = [guard][stack][guard][TCS][SSA x NSSA][guard][TLS block][TD page]
//
// TCS.OFSBASE = TCS.OGSBASE = the TD page. The TD page starts with a glibc-compatible TCB
// prefix (self pointer at 0, stack-protector canary at 0x28) so that code compiled for
// x86-64 Linux, including Debian's static libraries, runs unchanged; native TLS variables
// sit in the TLS block just below it (TLS variant II).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ccbox::abi {

inline constexpr uint64_t kGuardPages = 16;      // 64 KiB, never added, as in the Intel SDK
inline constexpr uint32_t kSsaFrameSizePages = 1;
inline constexpr uint32_t kNssa = 2;
inline constexpr uint64_t kThreadDataMagic = 0x31445442584343ull;  // "CCXBTD1"
inline constexpr uint32_t kThreadDataVersion = 1;
inline constexpr uint8_t kStackFillByte = 0xcc;  // unused stack reads as 0xCCCCCCCC, as in OE and the SDK

// Written by the layout engine into every TD page at offset kLayoutInfoOffset; measured.
struct LayoutInfo {
    uint64_t magic;              // kThreadDataMagic
    uint32_t version;            // kThreadDataVersion
    uint32_t thread_index;       // which TCS this TD belongs to
    uint32_t thread_count;       // NumTCS
    uint32_t ssa_frame_size;     // pages
    uint64_t enclave_size;       // ELRANGE size
    uint64_t image_size;         // bytes of the image range (page rounded)
    uint64_t heap_offset;
    uint64_t heap_size;          // exactly NumHeapPages * 4096
    uint64_t threads_offset;     // start of thread 0's region
    uint64_t thread_span;        // distance between consecutive threads' regions
    uint64_t stack_offset_in_span;   // lowest stack byte
    uint64_t stack_size;
    uint64_t tcs_offset_in_span;
    uint64_t ssa_offset_in_span;
    uint64_t tls_offset_in_span;     // start of the TLS block pages
    uint64_t tls_block_size;         // bytes of TLS directly below the TD (PT_TLS memsz, aligned)
    uint64_t td_offset_in_span;
    uint64_t tls_template_offset;    // PT_TLS vaddr (image offset) of the .tdata initialiser
    uint64_t tls_template_filesz;
    uint64_t tls_template_memsz;
    uint64_t reserved;               // zero
};
static_assert(std::is_standard_layout_v<LayoutInfo> && sizeof(LayoutInfo) == 160);


// Offsets inside the TD page.
inline constexpr std::size_t kTcbSelfOffset = 0x00;
inline constexpr std::size_t kTcbStackGuardOffset = 0x28;
inline constexpr std::size_t kLayoutInfoOffset = 0x100;
inline constexpr std::size_t kRuntimeStateOffset = 0x400;  // the trusted runtime's per-thread state
inline constexpr std::size_t kRuntimeStateMaxSize = 4096 - kRuntimeStateOffset;

}  // namespace ccbox::abi
