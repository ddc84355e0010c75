// SGX architectural structures, byte for byte as the SDM defines them.
// Trust domain: common (used by tools, platform, host and freestanding enclave code).
// Layouts: shared/reference/sgx-formats.md §2–§8. Every structure has its size, the
// offset of every field, its alignment and standard layout checked at compile time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ccbox::sgx {

inline constexpr std::size_t kPageSize = 4096;

// Whether n bytes are all zero (reserved fields must be).
inline bool all_zero(const std::uint8_t* p, std::size_t n) {
    std::uint8_t acc = 0;
    for (std::size_t i = 0; i < n; ++i)
        acc |= p[i];
    return acc == 0;
}

#define CCBOX_SGX_CHECK_LAYOUT(T, size, align)                                \
    static_assert(sizeof(T) == (size), #T " has the wrong size");             \
    static_assert(alignof(T) == (align), #T " has the wrong alignment");      \
    static_assert(std::is_standard_layout_v<T>, #T " must be standard layout"); \
    static_assert(std::is_trivially_copyable_v<T>, #T " must be trivially copyable")
#define CCBOX_SGX_CHECK_OFFSET(T, field, off) \
    static_assert(offsetof(T, field) == (off), #T "::" #field " is at the wrong offset")

// ---------------------------------------------------------------- attributes
namespace attr {
inline constexpr uint64_t kInit = 0x01;
inline constexpr uint64_t kDebug = 0x02;
inline constexpr uint64_t kMode64Bit = 0x04;
inline constexpr uint64_t kProvisionKey = 0x10;
inline constexpr uint64_t kEinitTokenKey = 0x20;
inline constexpr uint64_t kCet = 0x40;
inline constexpr uint64_t kKss = 0x80;
inline constexpr uint64_t kAexNotify = 0x400;
}  // namespace attr

namespace xfrm {
inline constexpr uint64_t kLegacy = 0x3;  // x87 + SSE, mandatory
inline constexpr uint64_t kAvx = 0x4;
}  // namespace xfrm

namespace miscselect {
inline constexpr uint32_t kExinfo = 0x1;
inline constexpr uint32_t kCpinfo = 0x2;
}  // namespace miscselect

struct Attributes {
    uint64_t flags;
    uint64_t xfrm;
};
CCBOX_SGX_CHECK_LAYOUT(Attributes, 16, 8);
CCBOX_SGX_CHECK_OFFSET(Attributes, flags, 0);
CCBOX_SGX_CHECK_OFFSET(Attributes, xfrm, 8);

// ---------------------------------------------------------------- SECS (§2)
struct alignas(4096) Secs {
    uint64_t size;                  // 0
    uint64_t baseaddr;              // 8
    uint32_t ssaframesize;          // 16, in pages
    uint32_t miscselect;            // 20
    uint8_t reserved1[24];          // 24 (CET_LEG_BITMAP_OFFSET, CET_ATTRIBUTES on newer parts)
    Attributes attributes;          // 48
    uint8_t mrenclave[32];          // 64
    uint8_t reserved2[32];          // 96
    uint8_t mrsigner[32];           // 128
    uint8_t reserved3[32];          // 160
    uint8_t configid[64];           // 192
    uint16_t isvprodid;             // 256
    uint16_t isvsvn;                // 258
    uint16_t configsvn;             // 260
    uint8_t reserved4[3834];        // 262 (ISVEXTPRODID, ISVFAMILYID, EID, PADDING: micro-architectural)
};
CCBOX_SGX_CHECK_LAYOUT(Secs, 4096, 4096);
CCBOX_SGX_CHECK_OFFSET(Secs, size, 0);
CCBOX_SGX_CHECK_OFFSET(Secs, baseaddr, 8);
CCBOX_SGX_CHECK_OFFSET(Secs, ssaframesize, 16);
CCBOX_SGX_CHECK_OFFSET(Secs, miscselect, 20);
CCBOX_SGX_CHECK_OFFSET(Secs, reserved1, 24);
CCBOX_SGX_CHECK_OFFSET(Secs, attributes, 48);
CCBOX_SGX_CHECK_OFFSET(Secs, mrenclave, 64);
CCBOX_SGX_CHECK_OFFSET(Secs, reserved2, 96);
CCBOX_SGX_CHECK_OFFSET(Secs, mrsigner, 128);
CCBOX_SGX_CHECK_OFFSET(Secs, reserved3, 160);
CCBOX_SGX_CHECK_OFFSET(Secs, configid, 192);
CCBOX_SGX_CHECK_OFFSET(Secs, isvprodid, 256);
CCBOX_SGX_CHECK_OFFSET(Secs, isvsvn, 258);
CCBOX_SGX_CHECK_OFFSET(Secs, configsvn, 260);
CCBOX_SGX_CHECK_OFFSET(Secs, reserved4, 262);

// ---------------------------------------------------------------- TCS (§3)
namespace tcs_flags {
inline constexpr uint64_t kDbgOptIn = 0x1;
inline constexpr uint64_t kAexNotify = 0x2;
}  // namespace tcs_flags

struct alignas(4096) Tcs {
    uint64_t state;                 // 0
    uint64_t flags;                 // 8
    uint64_t ossa;                  // 16, offset from the enclave base
    uint32_t cssa;                  // 24
    uint32_t nssa;                  // 28
    uint64_t oentry;                // 32
    uint64_t reserved1;             // 40 (AEP)
    uint64_t ofsbase;               // 48
    uint64_t ogsbase;               // 56
    uint32_t fslimit;               // 64
    uint32_t gslimit;               // 68
    uint8_t reserved2[4024];        // 72
};
CCBOX_SGX_CHECK_LAYOUT(Tcs, 4096, 4096);
CCBOX_SGX_CHECK_OFFSET(Tcs, state, 0);
CCBOX_SGX_CHECK_OFFSET(Tcs, flags, 8);
CCBOX_SGX_CHECK_OFFSET(Tcs, ossa, 16);
CCBOX_SGX_CHECK_OFFSET(Tcs, cssa, 24);
CCBOX_SGX_CHECK_OFFSET(Tcs, nssa, 28);
CCBOX_SGX_CHECK_OFFSET(Tcs, oentry, 32);
CCBOX_SGX_CHECK_OFFSET(Tcs, reserved1, 40);
CCBOX_SGX_CHECK_OFFSET(Tcs, ofsbase, 48);
CCBOX_SGX_CHECK_OFFSET(Tcs, ogsbase, 56);
CCBOX_SGX_CHECK_OFFSET(Tcs, fslimit, 64);
CCBOX_SGX_CHECK_OFFSET(Tcs, gslimit, 68);
CCBOX_SGX_CHECK_OFFSET(Tcs, reserved2, 72);

// ------------------------------------------------------ SSA GPR area (§3)
// The last 184 bytes of every SSA frame.
struct SsaGpr {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;  // 0..56
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;    // 64..120
    uint64_t rflags;                                  // 128
    uint64_t rip;                                     // 136
    uint64_t ursp;                                    // 144
    uint64_t urbp;                                    // 152
    uint32_t exitinfo;                                // 160: vector[7:0], type[10:8], valid[31]
    uint8_t reserved[3];                              // 164
    uint8_t aexnotify;                                // 167
    uint64_t fsbase;                                  // 168
    uint64_t gsbase;                                  // 176
};
CCBOX_SGX_CHECK_LAYOUT(SsaGpr, 184, 8);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rax, 0);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rcx, 8);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rdx, 16);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rbx, 24);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rsp, 32);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rbp, 40);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rsi, 48);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rdi, 56);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, r8, 64);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, r15, 120);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rflags, 128);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, rip, 136);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, ursp, 144);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, urbp, 152);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, exitinfo, 160);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, reserved, 164);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, aexnotify, 167);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, fsbase, 168);
CCBOX_SGX_CHECK_OFFSET(SsaGpr, gsbase, 176);

// Sits immediately before the GPR area when MISCSELECT.EXINFO is set.
struct Exinfo {
    uint64_t maddr;
    uint32_t errcd;
    uint32_t reserved;
};
CCBOX_SGX_CHECK_LAYOUT(Exinfo, 16, 8);
CCBOX_SGX_CHECK_OFFSET(Exinfo, maddr, 0);
CCBOX_SGX_CHECK_OFFSET(Exinfo, errcd, 8);
CCBOX_SGX_CHECK_OFFSET(Exinfo, reserved, 12);

// ---------------------------------------------------------------- SECINFO (§1)
namespace secinfo_flags {
inline constexpr uint64_t kR = 0x1;
inline constexpr uint64_t kW = 0x2;
inline constexpr uint64_t kX = 0x4;
inline constexpr uint64_t kPending = 0x8;
inline constexpr uint64_t kModified = 0x10;
inline constexpr uint64_t kPr = 0x20;
inline constexpr uint64_t kPermissionMask = kR | kW | kX;
inline constexpr unsigned kPageTypeShift = 8;
inline constexpr uint64_t kPageTypeMask = 0xff00;
}  // namespace secinfo_flags

enum class PageType : uint8_t { kSecs = 0, kTcs = 1, kReg = 2, kVa = 3, kTrim = 4 };

constexpr uint64_t secinfo_flags_for(PageType type, uint64_t permissions) {
    return (static_cast<uint64_t>(type) << secinfo_flags::kPageTypeShift) |
           (permissions & secinfo_flags::kPermissionMask);
}

struct alignas(64) Secinfo {
    uint64_t flags;
    uint8_t reserved[56];
};
CCBOX_SGX_CHECK_LAYOUT(Secinfo, 64, 64);
CCBOX_SGX_CHECK_OFFSET(Secinfo, flags, 0);
CCBOX_SGX_CHECK_OFFSET(Secinfo, reserved, 8);

// ---------------------------------------------------------------- PAGEINFO (§1)
struct alignas(32) Pageinfo {
    uint64_t linaddr;
    uint64_t srcpge;
    uint64_t secinfo;  // or PCMD for EWB/ELDU
    uint64_t secs;
};
CCBOX_SGX_CHECK_LAYOUT(Pageinfo, 32, 32);
CCBOX_SGX_CHECK_OFFSET(Pageinfo, linaddr, 0);
CCBOX_SGX_CHECK_OFFSET(Pageinfo, srcpge, 8);
CCBOX_SGX_CHECK_OFFSET(Pageinfo, secinfo, 16);
CCBOX_SGX_CHECK_OFFSET(Pageinfo, secs, 24);

// ---------------------------------------------------------------- SIGSTRUCT (§4)
inline constexpr std::size_t kRsa3072Bytes = 384;

struct Sigstruct {
    uint8_t header[16];             // 0
    uint32_t vendor;                // 16
    uint32_t date;                  // 20, BCD 0xYYYYMMDD
    uint8_t header2[16];            // 24
    uint32_t swdefined;             // 40
    uint8_t reserved1[84];          // 44
    uint8_t modulus[kRsa3072Bytes]; // 128, little endian
    uint32_t exponent;              // 512
    uint8_t signature[kRsa3072Bytes];  // 516, little endian
    uint32_t miscselect;            // 900
    uint32_t miscmask;              // 904
    uint8_t cet_attributes;         // 908
    uint8_t cet_attributes_mask;    // 909
    uint8_t reserved2[2];           // 910
    uint8_t isvfamilyid[16];        // 912
    Attributes attributes;          // 928
    Attributes attributemask;       // 944
    uint8_t enclavehash[32];        // 960
    uint8_t reserved3[16];          // 992
    uint8_t isvextprodid[16];       // 1008
    uint16_t isvprodid;             // 1024
    uint16_t isvsvn;                // 1026
    uint8_t reserved4[12];          // 1028
    uint8_t q1[kRsa3072Bytes];      // 1040, little endian
    uint8_t q2[kRsa3072Bytes];      // 1424, little endian
};
CCBOX_SGX_CHECK_LAYOUT(Sigstruct, 1808, 8);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, header, 0);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, vendor, 16);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, date, 20);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, header2, 24);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, swdefined, 40);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, reserved1, 44);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, modulus, 128);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, exponent, 512);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, signature, 516);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, miscselect, 900);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, miscmask, 904);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, cet_attributes, 908);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, cet_attributes_mask, 909);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, reserved2, 910);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, isvfamilyid, 912);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, attributes, 928);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, attributemask, 944);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, enclavehash, 960);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, reserved3, 992);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, isvextprodid, 1008);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, isvprodid, 1024);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, isvsvn, 1026);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, reserved4, 1028);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, q1, 1040);
CCBOX_SGX_CHECK_OFFSET(Sigstruct, q2, 1424);

inline constexpr uint8_t kSigstructHeader[16] = {0x06, 0x00, 0x00, 0x00, 0xe1, 0x00, 0x00, 0x00,
                                                 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00};
inline constexpr uint8_t kSigstructHeader2[16] = {0x01, 0x01, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00,
                                                  0x60, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
inline constexpr uint32_t kSigstructVendorIntel = 0x8086;
inline constexpr uint32_t kSigstructExponent = 3;
// The signed message is bytes [0,128) followed by [900,1028).
inline constexpr std::size_t kSigstructSignedPart1End = 128;
inline constexpr std::size_t kSigstructSignedPart2Begin = 900;
inline constexpr std::size_t kSigstructSignedPart2End = 1028;

// ---------------------------------------------------------------- EINITTOKEN (§4)
struct alignas(512) Einittoken {
    uint32_t valid;                 // 0
    uint8_t reserved1[44];          // 4
    Attributes attributes;          // 48
    uint8_t mrenclave[32];          // 64
    uint8_t reserved2[32];          // 96
    uint8_t mrsigner[32];           // 128
    uint8_t reserved3[32];          // 160
    uint8_t cpusvnle[16];           // 192
    uint16_t isvprodidle;           // 208
    uint16_t isvsvnle;              // 210
    uint8_t reserved4[24];          // 212
    uint32_t maskedmiscselectle;    // 236
    Attributes maskedattributesle;  // 240
    uint8_t keyid[32];              // 256
    uint8_t mac[16];                // 288
    uint8_t padding_to_alignment[208];
};
static_assert(sizeof(Einittoken) == 512 && alignof(Einittoken) == 512);
static_assert(offsetof(Einittoken, padding_to_alignment) == 304, "EINITTOKEN is 304 bytes");
CCBOX_SGX_CHECK_OFFSET(Einittoken, valid, 0);
CCBOX_SGX_CHECK_OFFSET(Einittoken, attributes, 48);
CCBOX_SGX_CHECK_OFFSET(Einittoken, mrenclave, 64);
CCBOX_SGX_CHECK_OFFSET(Einittoken, mrsigner, 128);
CCBOX_SGX_CHECK_OFFSET(Einittoken, cpusvnle, 192);
CCBOX_SGX_CHECK_OFFSET(Einittoken, isvprodidle, 208);
CCBOX_SGX_CHECK_OFFSET(Einittoken, isvsvnle, 210);
CCBOX_SGX_CHECK_OFFSET(Einittoken, maskedmiscselectle, 236);
CCBOX_SGX_CHECK_OFFSET(Einittoken, maskedattributesle, 240);
CCBOX_SGX_CHECK_OFFSET(Einittoken, keyid, 256);
CCBOX_SGX_CHECK_OFFSET(Einittoken, mac, 288);
inline constexpr std::size_t kEinittokenSize = 304;
inline constexpr std::size_t kEinittokenMacedBytes = 192;

// ---------------------------------------------------------------- KEYREQUEST (§5)
enum class KeyName : uint16_t {
    kEinitToken = 0,
    kProvision = 1,
    kProvisionSeal = 2,
    kReport = 3,
    kSeal = 4,
};

namespace keypolicy {
inline constexpr uint16_t kMrenclave = 0x01;
inline constexpr uint16_t kMrsigner = 0x02;
inline constexpr uint16_t kNoIsvProdId = 0x04;
inline constexpr uint16_t kConfigId = 0x08;
inline constexpr uint16_t kIsvFamilyId = 0x10;
inline constexpr uint16_t kIsvExtProdId = 0x20;
inline constexpr uint16_t kKssBits = kNoIsvProdId | kConfigId | kIsvFamilyId | kIsvExtProdId;
inline constexpr uint16_t kAll = kMrenclave | kMrsigner | kKssBits;
}  // namespace keypolicy

struct alignas(512) Keyrequest {
    uint16_t keyname;               // 0
    uint16_t keypolicy;             // 2
    uint16_t isvsvn;                // 4
    uint16_t reserved1;             // 6
    uint8_t cpusvn[16];             // 8
    Attributes attributemask;       // 24
    uint8_t keyid[32];              // 40
    uint32_t miscmask;              // 72
    uint16_t configsvn;             // 76
    uint8_t reserved2[434];         // 78
};
CCBOX_SGX_CHECK_LAYOUT(Keyrequest, 512, 512);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, keyname, 0);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, keypolicy, 2);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, isvsvn, 4);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, reserved1, 6);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, cpusvn, 8);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, attributemask, 24);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, keyid, 40);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, miscmask, 72);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, configsvn, 76);
CCBOX_SGX_CHECK_OFFSET(Keyrequest, reserved2, 78);

// ---------------------------------------------------------------- REPORT (§6)
inline constexpr std::size_t kReportDataSize = 64;

struct Reportbody {
    uint8_t cpusvn[16];             // 0
    uint32_t miscselect;            // 16
    uint8_t cet_attributes;         // 20
    uint8_t reserved1[11];          // 21
    uint8_t isvextprodid[16];       // 32
    Attributes attributes;          // 48
    uint8_t mrenclave[32];          // 64
    uint8_t reserved2[32];          // 96
    uint8_t mrsigner[32];           // 128
    uint8_t reserved3[32];          // 160
    uint8_t configid[64];           // 192
    uint16_t isvprodid;             // 256
    uint16_t isvsvn;                // 258
    uint16_t configsvn;             // 260
    uint8_t reserved4[42];          // 262
    uint8_t isvfamilyid[16];        // 304
    uint8_t reportdata[kReportDataSize];  // 320
};
CCBOX_SGX_CHECK_LAYOUT(Reportbody, 384, 8);
CCBOX_SGX_CHECK_OFFSET(Reportbody, cpusvn, 0);
CCBOX_SGX_CHECK_OFFSET(Reportbody, miscselect, 16);
CCBOX_SGX_CHECK_OFFSET(Reportbody, cet_attributes, 20);
CCBOX_SGX_CHECK_OFFSET(Reportbody, reserved1, 21);
CCBOX_SGX_CHECK_OFFSET(Reportbody, isvextprodid, 32);
CCBOX_SGX_CHECK_OFFSET(Reportbody, attributes, 48);
CCBOX_SGX_CHECK_OFFSET(Reportbody, mrenclave, 64);
CCBOX_SGX_CHECK_OFFSET(Reportbody, reserved2, 96);
CCBOX_SGX_CHECK_OFFSET(Reportbody, mrsigner, 128);
CCBOX_SGX_CHECK_OFFSET(Reportbody, reserved3, 160);
CCBOX_SGX_CHECK_OFFSET(Reportbody, configid, 192);
CCBOX_SGX_CHECK_OFFSET(Reportbody, isvprodid, 256);
CCBOX_SGX_CHECK_OFFSET(Reportbody, isvsvn, 258);
CCBOX_SGX_CHECK_OFFSET(Reportbody, configsvn, 260);
CCBOX_SGX_CHECK_OFFSET(Reportbody, reserved4, 262);
CCBOX_SGX_CHECK_OFFSET(Reportbody, isvfamilyid, 304);
CCBOX_SGX_CHECK_OFFSET(Reportbody, reportdata, 320);

struct alignas(512) Report {
    Reportbody body;                // 0
    uint8_t keyid[32];              // 384
    uint8_t mac[16];                // 416
    uint8_t padding_to_alignment[64];
};
static_assert(sizeof(Report) == 512 && alignof(Report) == 512);
static_assert(std::is_standard_layout_v<Report> && std::is_trivially_copyable_v<Report>);
CCBOX_SGX_CHECK_OFFSET(Report, body, 0);
CCBOX_SGX_CHECK_OFFSET(Report, keyid, 384);
CCBOX_SGX_CHECK_OFFSET(Report, mac, 416);
inline constexpr std::size_t kReportSize = 432;  // architectural size; the rest is alignment
static_assert(offsetof(Report, padding_to_alignment) == kReportSize);

// ---------------------------------------------------------------- TARGETINFO (§6)
struct alignas(512) Targetinfo {
    uint8_t measurement[32];        // 0
    Attributes attributes;          // 32
    uint8_t cet_attributes;         // 48
    uint8_t reserved1;              // 49
    uint16_t configsvn;             // 50
    uint32_t miscselect;            // 52
    uint8_t reserved2[8];           // 56
    uint8_t configid[64];           // 64
    uint8_t reserved3[384];         // 128
};
CCBOX_SGX_CHECK_LAYOUT(Targetinfo, 512, 512);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, measurement, 0);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, attributes, 32);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, cet_attributes, 48);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, reserved1, 49);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, configsvn, 50);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, miscselect, 52);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, reserved2, 56);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, configid, 64);
CCBOX_SGX_CHECK_OFFSET(Targetinfo, reserved3, 128);

// ---------------------------------------------------------------- PCMD (§8)
struct alignas(128) Pcmd {
    Secinfo secinfo;                // 0
    uint64_t enclaveid;             // 64
    uint8_t reserved[40];           // 72
    uint8_t mac[16];                // 112
};
CCBOX_SGX_CHECK_LAYOUT(Pcmd, 128, 128);
CCBOX_SGX_CHECK_OFFSET(Pcmd, secinfo, 0);
CCBOX_SGX_CHECK_OFFSET(Pcmd, enclaveid, 64);
CCBOX_SGX_CHECK_OFFSET(Pcmd, reserved, 72);
CCBOX_SGX_CHECK_OFFSET(Pcmd, mac, 112);

// ---------------------------------------------------------------- VA page (§8)
inline constexpr std::size_t kVaSlotCount = 512;

// ---------------------------------------------------------------- error codes
// ENCLU/ENCLS status codes (RAX after the instruction), as the SDM numbers them.
enum class Status : uint32_t {
    kSuccess = 0,
    kInvalidSigStruct = 1,
    kInvalidAttribute = 2,
    kBlkstate = 3,
    kInvalidMeasurement = 4,
    kNotblockable = 5,
    kPgInvld = 6,
    kLockfail = 7,
    kInvalidSignature = 8,
    kMacCompareFail = 9,
    kPageNotBlocked = 10,
    kNotTracked = 11,
    kVaSlotOccupied = 12,
    kChildPresent = 13,
    kEnclaveAct = 14,
    kEntryepochLocked = 15,
    kInvalidEinittoken = 16,
    kPrevTrkIncmpl = 17,
    kIsSecsChild = 18,
    kInvalidCpusvn = 32,
    kInvalidIsvsvn = 64,
    kUnmaskedEvent = 128,
    kInvalidKeyname = 256,
};

}  // namespace ccbox::sgx
