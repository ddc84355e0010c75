// The policy language: validation at set time (an unknown claim, operator or member, an
// ill-typed or out-of-range operand is an error naming it) and evaluation over claims.
#include "services/keybroker/policy.hpp"

#include <gtest/gtest.h>

namespace ccbox::keybroker {
namespace {

using nlohmann::json;

Claims claims() {
    Claims c;
    c.mrenclave = std::string(64, 'a');
    c.mrsigner = std::string(64, 'b');
    c.product_id = 7;
    c.svn = 3;
    c.debug = false;
    c.tcb_status = "UpToDate";
    c.advisory_ids = {"INTEL-SA-00001", "INTEL-SA-00002"};
    c.platform_mode = "production";
    return c;
}

std::string parse_error(const json& j) {
    auto p = Policy::parse(j);
    return p ? "" : p.error().message();
}

std::optional<std::string> eval(const json& j, const Claims& c = claims()) {
    auto p = Policy::parse(j);
    EXPECT_TRUE(p.ok()) << p.error().message();
    return p ? p->evaluate(c) : std::optional<std::string>("parse failed");
}

TEST(PolicyParse, UnknownClaimOperatorAndMemberAreNamed) {
    EXPECT_NE(parse_error({{"claim", "mrenclav"}, {"equals", "x"}}).find("unknown claim \"mrenclav\""), std::string::npos);
    EXPECT_NE(parse_error({{"claim", "svn"}, {"greaterThan", 2}}).find("unknown operator \"greaterThan\""),
              std::string::npos);
    EXPECT_NE(parse_error({{"allOf", {{{"claim", "svn"}, {"equals", 1}}}}, {"extra", 1}}).find("unknown member \"extra\""),
              std::string::npos);
    EXPECT_NE(parse_error({{"oneOf", json::array()}}).find("unknown member \"oneOf\""), std::string::npos);
    // The path points into the nesting.
    const std::string nested =
        parse_error({{"allOf", {{{"claim", "svn"}, {"equals", 1}}, {{"anyOf", {{{"claim", "colour"}, {"equals", 1}}}}}}}});
    EXPECT_NE(nested.find("$.allOf[1].anyOf[0].claim"), std::string::npos) << nested;
}

TEST(PolicyParse, TypeConfusionIsRefused) {
    const json bad[] = {
        {{"claim", "svn"}, {"equals", "2"}},               // a string for an integer
        {{"claim", "svn"}, {"equals", 2.5}},               // a fraction
        {{"claim", "svn"}, {"equals", true}},              // a bool for an integer
        {{"claim", "svn"}, {"equals", nullptr}},
        {{"claim", "svn"}, {"in", 2}},                     // `in` needs an array
        {{"claim", "svn"}, {"in", json::array()}},         // an empty list matches nothing
        {{"claim", "debug"}, {"equals", "false"}},         // a string for a bool
        {{"claim", "debug"}, {"equals", 0}},
        {{"claim", "debug"}, {"greaterOrEquals", false}},  // no order on bools
        {{"claim", "mrsigner"}, {"greaterOrEquals", std::string(64, 'a')}},
        {{"claim", "mrsigner"}, {"equals", "abcd"}},       // not 64 hex digits
        {{"claim", "mrsigner"}, {"equals", std::string(63, 'a') + "g"}},
        {{"claim", "tcb_status"}, {"equals", "Fine"}},
        {{"claim", "platform_mode"}, {"equals", "prod"}},
        {{"claim", "advisory_ids"}, {"equals", "INTEL-SA-00001"}},  // a set is an array
        {{"claim", "advisory_ids"}, {"in", {1}}},
        {{"claim", {"svn"}}, {"equals", 1}},               // claim not a string
        {{"claim", "svn"}},                                // no operator
        {{"claim", "svn"}, {"equals", 1}, {"notEquals", 2}},  // two operators
        {{"allOf", json::array()}},
        {{"allOf", {{"claim", "svn"}}}},                   // members are clauses
        {{"not", json::array()}},
        {{"equals", 1}},                                   // operator without claim
        json::array(),
        "svn >= 2",
    };
    for (const auto& j : bad)
        EXPECT_FALSE(Policy::parse(j).ok()) << j.dump();
}

TEST(PolicyParse, IntegerOperandsOutsideUint16AreRefused) {
    for (const char* text : {"65536", "-1", "4294967296", "18446744073709551615", "18446744073709551616",
                             "-9223372036854775808", "1e3", "1e400"}) {
        const json j = json::parse(std::string("{\"claim\":\"svn\",\"greaterOrEquals\":") + text + "}", nullptr, false);
        if (j.is_discarded())
            continue;  // not even JSON nlohmann accepts
        const std::string e = parse_error(j);
        EXPECT_FALSE(e.empty()) << text;
    }
    EXPECT_TRUE(Policy::parse({{"claim", "svn"}, {"lessOrEquals", 65535}}).ok());
}

TEST(PolicyParse, DepthIsBounded) {
    json j = {{"claim", "svn"}, {"equals", 1}};
    for (int i = 0; i < kMaxPolicyDepth; ++i)
        j = {{"not", j}};
    EXPECT_TRUE(Policy::parse(j).ok());
    j = {{"not", j}};
    EXPECT_NE(parse_error(j).find("nested deeper"), std::string::npos);
}

TEST(PolicyEval, ComparisonsAndNesting) {
    EXPECT_FALSE(eval({{"claim", "svn"}, {"greaterOrEquals", 3}}));
    EXPECT_TRUE(eval({{"claim", "svn"}, {"greaterOrEquals", 4}}));
    EXPECT_FALSE(eval({{"claim", "svn"}, {"lessOrEquals", 3}}));
    EXPECT_TRUE(eval({{"claim", "svn"}, {"lessOrEquals", 2}}));
    EXPECT_FALSE(eval({{"claim", "product_id"}, {"in", {1, 7}}}));
    EXPECT_TRUE(eval({{"claim", "product_id"}, {"notEquals", 7}}));
    EXPECT_FALSE(eval({{"claim", "mrenclave"}, {"equals", std::string(64, 'A')}}));  // hex is case-insensitive
    EXPECT_FALSE(eval({{"claim", "debug"}, {"notEquals", true}}));
    EXPECT_FALSE(eval({{"not", {{"claim", "platform_mode"}, {"equals", "development"}}}}));
    // Nested anyOf inside allOf inside anyOf: what Azure's SKR policies cannot say.
    const json nested = {{"anyOf",
                          {{{"claim", "svn"}, {"equals", 99}},
                           {{"allOf",
                             {{{"claim", "debug"}, {"equals", false}},
                              {{"anyOf",
                                {{{"claim", "tcb_status"}, {"equals", "OutOfDate"}},
                                 {{"claim", "platform_mode"}, {"equals", "production"}}}}}}}}}}};
    EXPECT_FALSE(eval(nested));
    Claims dev = claims();
    dev.platform_mode = "development";
    EXPECT_EQ(eval(nested, dev), "$.anyOf (none of 2 alternatives holds)");
}

TEST(PolicyEval, FailingPathNamesTheClause) {
    const json p = {{"allOf",
                     {{{"claim", "svn"}, {"greaterOrEquals", 2}},
                      {{"not", {{"claim", "debug"}, {"equals", false}}}}}}};
    EXPECT_EQ(eval(p), "$.allOf[1].not ($.allOf[1].not holds)");
    Claims old = claims();
    old.svn = 1;
    EXPECT_EQ(eval(p, old), "$.allOf[0] (svn greaterOrEquals 2)");
}

TEST(PolicyEval, AdvisorySetSemantics) {
    // equals: the whole set, in any order; in: every advisory is listed.
    EXPECT_FALSE(eval({{"claim", "advisory_ids"}, {"equals", {"INTEL-SA-00002", "INTEL-SA-00001"}}}));
    EXPECT_TRUE(eval({{"claim", "advisory_ids"}, {"equals", {"INTEL-SA-00001"}}}));
    EXPECT_FALSE(eval({{"claim", "advisory_ids"}, {"in", {"INTEL-SA-00001", "INTEL-SA-00002", "INTEL-SA-00003"}}}));
    EXPECT_TRUE(eval({{"claim", "advisory_ids"}, {"in", {"INTEL-SA-00001"}}}));
    Claims none = claims();
    none.advisory_ids.clear();
    EXPECT_FALSE(eval({{"claim", "advisory_ids"}, {"equals", json::array()}}, none));
    EXPECT_FALSE(eval({{"claim", "advisory_ids"}, {"in", {"X"}}}, none));  // vacuously: no advisory outside the list
    EXPECT_TRUE(eval({{"claim", "advisory_ids"}, {"notEquals", json::array()}}, none));
}

TEST(PolicyParse, CanonicalFormIsNormalised) {
    auto p = Policy::parse({{"claim", "mrsigner"}, {"equals", std::string(64, 'F')}});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->canonical(), "{\"claim\":\"mrsigner\",\"equals\":\"" + std::string(64, 'f') + "\"}");
    auto again = Policy::parse(json::parse(p->canonical()));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->canonical(), p->canonical());
}

}  // namespace
}  // namespace ccbox::keybroker
