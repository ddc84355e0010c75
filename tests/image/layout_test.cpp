// The enclave layout and its MRENCLAVE: golden values for a byte-exact image, the rules of
// the layout, and what changes the measurement.
#include "platform/enclave_config.hpp"
#include "platform/enclave_image.hpp"
#include "platform/layout.hpp"
#include "support/hex.hpp"
#include "synthetic_elf.hpp"
#include "test_support.hpp"
#include "tools/ccbox/signing.hpp"

#include <cstring>
#include <elf.h>

namespace ccbox {
namespace {

ElfImage synthetic() { return ElfImage::parse(test::make_synthetic_elf().bytes, "synthetic.elf").value(); }

std::string mrenclave_of(const ElfImage& elf, const ccbox_enclave_config_t& config) {
    auto layout = EnclaveLayout::compute(elf, config);
    EXPECT_TRUE(layout.ok());
    return to_hex(layout->mrenclave());
}

ccbox_enclave_config_t small_config() {
    ccbox_enclave_config_t c = default_enclave_config();
    c.num_heap_pages = 2;
    c.num_stack_pages = 1;
    c.num_tcs = 1;
    return c;
}

// Golden values, the same on every run and machine. They were computed independently by
// tests/image/reference_mrenclave.py (a separate Python implementation of the layout and
// the SDM stream), which the ReferenceImplementationAgrees ctest also runs on built images.
TEST(Layout, GoldenMeasurementOfAByteExactImage) {
    ElfImage elf = synthetic();
    EXPECT_EQ(mrenclave_of(elf, default_enclave_config()),
              "e70a8730380945d5535d3b8a2be71ee8d1f3700f507114d03e664a88ad1f9ec0");
    EXPECT_EQ(mrenclave_of(elf, small_config()), "71a53be2124af17f97c58838b235af88505f36fb236a5e939668242aa2938f3d");
}

TEST(Layout, FollowsTheDocumentedShape) {
    ElfImage elf = synthetic();
    ccbox_enclave_config_t c = small_config();
    c.num_tcs = 3;
    c.num_stack_pages = 4;
    auto layout = EnclaveLayout::compute(elf, c).value();
    const uint64_t page = 4096, guard = abi::kGuardPages * page;
    EXPECT_EQ(layout.enclave_size() & (layout.enclave_size() - 1), 0u) << "ELRANGE is a power of two";
    EXPECT_EQ(layout.heap_offset(), elf.image_size());
    EXPECT_EQ(layout.heap_size(), 2 * page);
    ASSERT_EQ(layout.threads().size(), 3u);
    for (const auto& t : layout.threads()) {
        EXPECT_EQ(t.stack_offset, t.region_offset + guard);
        EXPECT_EQ(t.stack_top, t.stack_offset + 4 * page);
        EXPECT_EQ(t.tcs_offset, t.stack_top + guard);
        EXPECT_EQ(t.ssa_offset, t.tcs_offset + page);
        EXPECT_EQ(t.tls_offset, t.ssa_offset + 2 * page + guard);
        EXPECT_EQ(t.td_offset, t.tls_offset) << "no TLS segment: no TLS pages";
    }
    // Pages are added in increasing order, never twice, never in a guard.
    uint64_t last_end = 0, pages = 0, measured = 0;
    alignas(64) uint8_t scratch[4096];
    for (const auto& r : layout.ranges()) {
        EXPECT_GE(r.offset, last_end) << r.what;
        last_end = r.offset + r.count * page;
        pages += r.count;
        measured += r.measured ? r.count : 0;
        if (std::string(r.what) == "heap") {
            EXPECT_FALSE(r.measured) << "the heap is EADDed only";
        }
        if (std::string(r.what) == "tcs") {
            EXPECT_EQ(r.secinfo_flags, 0x100u) << "TCS pages have no RWX bits";
            sgx::Tcs tcs;
            std::memcpy(&tcs, layout.page_content(r, 0, scratch), sizeof tcs);
            const auto& t = layout.threads()[r.thread];
            EXPECT_EQ(tcs.ossa, t.ssa_offset);
            EXPECT_EQ(tcs.nssa, 2u);
            EXPECT_EQ(tcs.oentry, elf.entry());
            EXPECT_EQ(tcs.ofsbase, t.td_offset);
            EXPECT_EQ(tcs.ogsbase, t.td_offset);
            EXPECT_EQ(tcs.fslimit, 0xffffffffu);
        }
        if (std::string(r.what) == "stack") {
            EXPECT_EQ(layout.page_content(r, 0, scratch)[100], 0xcc);
        }
    }
    EXPECT_LE(last_end, layout.enclave_size());
    EXPECT_EQ(layout.epc_pages(), pages + 1) << "plus the SECS";
    EXPECT_EQ(layout.measured_pages(), measured);
    // image (3) + heap (2) + per thread stack 4, TCS 1, SSA 2, TD 1
    EXPECT_EQ(pages, 3u + 2u + 3u * 8u);
}

TEST(Layout, ImagePagesCarryTheirSegmentsBytesAndPermissions) {
    ElfImage elf = synthetic();
    auto layout = EnclaveLayout::compute(elf, small_config()).value();
    const auto& ranges = layout.ranges();
    ASSERT_GE(ranges.size(), 2u);
    EXPECT_EQ(ranges[0].secinfo_flags, 0x205u) << "R+X";
    EXPECT_EQ(ranges[1].secinfo_flags, 0x203u) << "R+W";
    EXPECT_EQ(ranges[1].count, 2u) << "bss past the file data is measured as zero pages";
    alignas(64) uint8_t scratch[4096];
    const uint8_t* data = layout.page_content(ranges[1], 0, scratch);
    auto bytes = test::make_synthetic_elf().bytes;
    EXPECT_EQ(std::memcmp(data, bytes.data() + test::SyntheticElf::kDataOffset, 0x800), 0);
    EXPECT_EQ(data[0x800], 0) << "past p_filesz the page is zero";
}

TEST(Layout, EveryInputOfTheMeasurementChangesIt) {
    ElfImage elf = synthetic();
    const std::string base = mrenclave_of(elf, small_config());
    EXPECT_EQ(mrenclave_of(elf, small_config()), base) << "deterministic";

    auto code_changed = test::make_synthetic_elf().bytes;
    code_changed[test::SyntheticElf::kCodeOffset + 5] ^= 1;
    EXPECT_NE(mrenclave_of(ElfImage::parse(code_changed, "c").value(), small_config()), base);

    auto bss_only = test::make_synthetic_elf().bytes;  // bytes past p_filesz are not loaded
    bss_only[test::SyntheticElf::kSigOffset + 100] ^= 1;  // .ccbox.sig: not measured either
    EXPECT_EQ(mrenclave_of(ElfImage::parse(bss_only, "c").value(), small_config()), base);

    ccbox_enclave_config_t heap = small_config();
    heap.num_heap_pages += 1;
    EXPECT_NE(mrenclave_of(elf, heap), base);
    ccbox_enclave_config_t tcs = small_config();
    tcs.num_tcs += 1;
    EXPECT_NE(mrenclave_of(elf, tcs), base);
    ccbox_enclave_config_t stack = small_config();
    stack.num_stack_pages += 1;
    EXPECT_NE(mrenclave_of(elf, stack), base);
    ccbox_enclave_config_t svn = small_config();
    svn.security_version = 9;  // identity, not measurement
    EXPECT_EQ(mrenclave_of(elf, svn), base);
}

TEST(Layout, RefusesEnclavesLargerThan64GiB) {
    ccbox_enclave_config_t c = small_config();
    c.num_tcs = 1024;
    c.num_stack_pages = 4096 * 16;  // 256 MiB stacks x 1024
    auto layout = EnclaveLayout::compute(synthetic(), c);
    ASSERT_FALSE(layout.ok());
    EXPECT_EQ(layout.error().code(), CCBOX_INVALID_CONFIG);
    EXPECT_NE(layout.error().message().find("more than the 64 GiB limit"), std::string::npos);
}

TEST(Layout, BuiltImageMeasuresToItsSignedEnclaveHash) {
    const std::string image = test::built_file("image/image_enclave");
    const std::string conf = std::string(CCBOX_SOURCE_DIR) + "/tests/image/enclaves/image_enclave.conf";
    auto resolved = resolve_enclave(image, conf);
    ASSERT_TRUE(resolved.ok()) << resolved.error().message();
    EXPECT_EQ(resolved->config.num_heap_pages, 96u) << "the .conf overrides the embedded properties";
    EXPECT_EQ(resolved->config.num_stack_pages, 8u) << "kept from CCBOX_SET_ENCLAVE_PROPERTIES";
    EXPECT_EQ(resolved->config.num_tcs, 3u);
    auto measured = measure_enclave(*resolved);
    ASSERT_TRUE(measured.ok());
    auto signed_image = EnclaveImage::load(image + ".signed");
    ASSERT_TRUE(signed_image.ok()) << signed_image.error().message();
    ASSERT_TRUE(signed_image->signature().has_value());
    EXPECT_EQ(std::memcmp(signed_image->signature()->sigstruct.enclavehash, measured->data(), 32), 0);
    EXPECT_EQ(signed_image->signature()->sigstruct.isvprodid, 4);
    EXPECT_EQ(signed_image->signature()->sigstruct.isvsvn, 5);
    ASSERT_TRUE(signed_image->elf().tls().has_value()) << "the test image has thread-local data";
}

}  // namespace
}  // namespace ccbox
