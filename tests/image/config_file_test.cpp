// Enclave configuration files: Open Enclave's keys, and an error naming file, line and key
// for every bad input.
#include "platform/enclave_config.hpp"
#include "tools/ccbox/config_file.hpp"

#include <gtest/gtest.h>

namespace ccbox {
namespace {

TEST(ConfigFile, ParsesOpenEnclaveKeys) {
    auto file = parse_config_text(
        "# enclave.conf\n"
        "Debug=1\n"
        "  NumHeapPages = 0x800  \n"
        "NumStackPages=32 # per thread\n"
        "NumTCS=8\r\n"
        "\n"
        "ProductID=7\n"
        "SecurityVersion=65535\n"
        "FamilyID=00112233-4455-6677-8899-aabbccddeeff\n",
        "enclave.conf");
    ASSERT_TRUE(file.ok()) << file.error().message();
    ccbox_enclave_config_t c = file->apply(default_enclave_config());
    EXPECT_TRUE(config_allows_debug(c));
    EXPECT_EQ(c.num_heap_pages, 0x800u);
    EXPECT_EQ(c.num_stack_pages, 32u);
    EXPECT_EQ(c.num_tcs, 8u);
    EXPECT_EQ(c.product_id, 7);
    EXPECT_EQ(c.security_version, 65535);
    EXPECT_EQ(c.family_id[0], 0x00);
    EXPECT_EQ(c.family_id[15], 0xff);
    EXPECT_TRUE(config_uses_kss(c)) << "FamilyID enables KSS";
    EXPECT_TRUE(validate_enclave_config(c, "x").ok());
    EXPECT_EQ(file->lines.at("NumTCS"), 5);
}

TEST(ConfigFile, OnlyTheKeysOfTheFileOverride) {
    ccbox_enclave_config_t base = default_enclave_config();
    base.product_id = 3;
    base.flags = CCBOX_CONFIG_FLAG_DEBUG;
    auto file = parse_config_text("NumTCS=2\nDebug=0\n", "c.conf");
    ASSERT_TRUE(file.ok());
    ccbox_enclave_config_t c = file->apply(base);
    EXPECT_EQ(c.num_tcs, 2u);
    EXPECT_EQ(c.product_id, 3) << "not in the file: kept";
    EXPECT_FALSE(config_allows_debug(c));
    EXPECT_EQ(c.num_heap_pages, base.num_heap_pages);
}

struct BadConfig {
    const char* text;
    const char* message;
};

TEST(ConfigFile, EveryBadInputNamesFileLineAndKey) {
    const BadConfig cases[] = {
        {"Debug=1\nNumThreads=4\n", "enclave.conf:2: unknown key 'NumThreads'"},
        {"NumTCS=2\nNumTCS=3\n", "enclave.conf:2: NumTCS: duplicate key (first set on line 1)"},
        {"NumTCS=four\n", "enclave.conf:1: NumTCS: 'four' is not a number"},
        {"NumTCS=0\n", "enclave.conf:1: NumTCS: 0 is out of range (1..1024)"},
        {"NumTCS=1025\n", "enclave.conf:1: NumTCS: 1025 is out of range (1..1024)"},
        {"\nNumHeapPages=16777217\n", "enclave.conf:2: NumHeapPages: 16777217 pages make ELRANGE larger than the 64 GiB limit"},
        {"NumHeapPages=0\n", "enclave.conf:1: NumHeapPages: 0 is out of range"},
        {"NumStackPages=-1\n", "enclave.conf:1: NumStackPages: '-1' is not a number"},
        {"Debug=2\n", "enclave.conf:1: Debug: 2 is out of range (0..1)"},
        {"ProductID=65536\n", "enclave.conf:1: ProductID: 65536 is out of range (0..65535)"},
        {"SecurityVersion=0x10000\n", "enclave.conf:1: SecurityVersion: 0x10000 is out of range"},
        {"FamilyID=not-a-uuid\n", "enclave.conf:1: FamilyID: 'not-a-uuid' is not a UUID"},
        {"ExtendedProductID=00112233-4455-6677-8899-aabbccddeeXX\n", "enclave.conf:1: ExtendedProductID:"},
        {"NumTCS 4\n", "enclave.conf:1: expected KEY=VALUE, got 'NumTCS 4'"},
        {"CreateZeroBaseEnclave=1\n", "enclave.conf:1: CreateZeroBaseEnclave: an Open Enclave key that ccbox does not support"},
        {"NumTCS=\n", "enclave.conf:1: NumTCS: '' is not a number"},
        {"NumTCS=99999999999999999999999\n", "is not a number"},
    };
    for (const auto& c : cases) {
        auto file = parse_config_text(c.text, "enclave.conf");
        ASSERT_FALSE(file.ok()) << c.text;
        EXPECT_EQ(file.error().code(), CCBOX_INVALID_CONFIG) << c.text;
        EXPECT_NE(file.error().message().find(c.message), std::string::npos)
            << c.text << " -> " << file.error().message();
    }
}

TEST(ConfigFile, ValidationRefusesStructuresFromHostileImages) {
    ccbox_enclave_config_t c = default_enclave_config();
    EXPECT_TRUE(validate_enclave_config(c, "img").ok());
    c.num_tcs = 0;
    EXPECT_NE(validate_enclave_config(c, "img").error().message().find("img: NumTCS 0 is out of range"),
              std::string::npos);
    c = default_enclave_config();
    c.flags = 0x80;
    EXPECT_FALSE(validate_enclave_config(c, "img").ok());
    c = default_enclave_config();
    c.family_id[3] = 1;  // without the KSS flag
    EXPECT_NE(validate_enclave_config(c, "img").error().message().find("without the KSS flag"), std::string::npos);
}

}  // namespace
}  // namespace ccbox
