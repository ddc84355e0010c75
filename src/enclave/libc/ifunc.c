/* GNU indirect functions (IFUNC) inside the enclave. Trust domain: enclave (libc).
 * Debian's static libm.a selects among its variants of exp, log, pow, sin, fma, floor, ...
 * (SSE2, SSE4.1, AVX, FMA, FMA4) with IFUNC resolvers. A static PIE records each such choice
 * as an R_X86_64_IRELATIVE relocation (in .rela.dyn, and in .rela.plt for calls made through
 * the PLT); the platform accepts those only when their resolver lies in an executable segment
 * of the image (src/platform/elf_image.cpp). This constructor, run first at CCBOX_ECALL_INIT
 * after the runtime applied the R_X86_64_RELATIVE ones, calls each resolver and stores its
 * answer, as glibc's static start-up does.
 *
 * The resolvers read glibc's `_dl_x86_cpu_features` (its private struct cpu_features, the
 * layout of glibc 2.36 that Debian 12's libm.a was built against). We fill the words they
 * read, the CPUID leaves 1, 7 and 0x80000001 and their "usable" copies, with glibc's rules
 * (AVX, AVX2, FMA and FMA4 only when the OS saves the YMM state: XCR0 bits 1 and 2), so an
 * enclave runs the same variant as a host program on the same CPU and gets bit-identical
 * results. The other usable bits stay 0 ("not usable"), which only ever selects a baseline
 * variant. CPUID and XGETBV are executed inside the enclave: the isolated and sim backends
 * allow them; real SGX does not (a future sgx backend must take CPUID from the platform).
 * Linked into every enclave (ccbox_add_enclave passes -u ccbox_libc_ifunc_support). */
#include <elf.h>
#include <stdint.h>
#include <string.h>

/* glibc 2.36 sysdeps/x86/include/cpu-features.h: struct cpu_features_basic (5 x 4 bytes),
 * then per CPUID index {cpuid eax,ebx,ecx,edx; active eax,ebx,ecx,edx}. */
enum {
    CF_BASIC_SIZE = 20,
    CF_INDEX_SIZE = 32,
    CF_INDEX_1 = 0,        /* leaf 1 */
    CF_INDEX_7 = 1,        /* leaf 7, subleaf 0 */
    CF_INDEX_80000001 = 2, /* leaf 0x80000001 */
    CF_SIZE = 512,         /* more than glibc 2.36's struct; only the words above are read */
};

__attribute__((aligned(64))) unsigned char _dl_x86_cpu_features[CF_SIZE];
unsigned char ccbox_libc_ifunc_support; /* the -u anchor */

static void store(int index, int active, const uint32_t r[4]) {
    memcpy(_dl_x86_cpu_features + CF_BASIC_SIZE + index * CF_INDEX_SIZE + (active ? 16 : 0), r, 16);
}

static void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(subleaf));
}

static void init_cpu_features(void) {
    uint32_t l1[4] = {0}, l7[4] = {0}, e1[4] = {0}, u1[4] = {0}, u7[4] = {0}, ue1[4] = {0}, max[4];
    cpuid(0, 0, max);
    if (max[0] >= 1) cpuid(1, 0, l1);
    if (max[0] >= 7) cpuid(7, 0, l7);
    cpuid(0x80000000u, 0, max);
    if (max[0] >= 0x80000001u) cpuid(0x80000001u, 0, e1);
    const uint32_t sse4_1 = 1u << 19, fma = 1u << 12, avx = 1u << 28, osxsave = 1u << 27;
    const uint32_t avx2 = 1u << 5, fma4 = 1u << 16;
    u1[2] = l1[2] & sse4_1;
    if ((l1[2] & osxsave) != 0) {
        uint32_t xcr0_lo, xcr0_hi;
        __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
        (void)xcr0_hi;
        if ((xcr0_lo & 6u) == 6u && (l1[2] & avx) != 0) {
            u1[2] |= avx | (l1[2] & fma);
            u7[1] = l7[1] & avx2;
            ue1[2] = e1[2] & fma4;
        }
    }
    store(CF_INDEX_1, 0, l1);
    store(CF_INDEX_1, 1, u1);
    store(CF_INDEX_7, 0, l7);
    store(CF_INDEX_7, 1, u7);
    store(CF_INDEX_80000001, 0, e1);
    store(CF_INDEX_80000001, 1, ue1);
}

extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));

typedef uint64_t (*ifunc_resolver)(void);

/* Applies the IRELATIVE entries of [table, table + size); returns how many there were. */
static size_t apply(uintptr_t base, uint64_t table, uint64_t size, int* features_ready) {
    const Elf64_Rela* r = (const Elf64_Rela*)(base + table);
    size_t applied = 0;
    for (uint64_t i = 0; i < size / sizeof(Elf64_Rela); i++) {
        if (ELF64_R_TYPE(r[i].r_info) != R_X86_64_IRELATIVE) continue;
        if (!*features_ready) {
            init_cpu_features();
            *features_ready = 1;
        }
        ifunc_resolver resolver = (ifunc_resolver)(base + (uint64_t)r[i].r_addend);
        *(uint64_t*)(base + r[i].r_offset) = resolver();
        applied++;
    }
    return applied;
}

__attribute__((constructor(101))) static void apply_irelative(void) {
    const uintptr_t base = (uintptr_t)__ehdr_start;
    uint64_t rela = 0, relasz = 0, jmprel = 0, pltrelsz = 0;
    int features_ready = 0;
    for (const Elf64_Dyn* d = _DYNAMIC; d->d_tag != DT_NULL; ++d) {
        if (d->d_tag == DT_RELA) rela = d->d_un.d_ptr;
        else if (d->d_tag == DT_RELASZ) relasz = d->d_un.d_val;
        else if (d->d_tag == DT_JMPREL) jmprel = d->d_un.d_ptr;
        else if (d->d_tag == DT_PLTRELSZ) pltrelsz = d->d_un.d_val;
    }
    if (relasz != 0) apply(base, rela, relasz, &features_ready);
    if (pltrelsz != 0) apply(base, jmprel, pltrelsz, &features_ready);
}
