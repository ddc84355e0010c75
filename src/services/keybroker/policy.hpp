// Release policies (docs/keybroker.md, "Policy language"): JSON clauses nested with allOf /
// anyOf / not over leaves {"claim": NAME, OPERATOR: operand}. Operators: equals, notEquals, in,
// lessOrEquals, greaterOrEquals. Claims: mrenclave, mrsigner (64 hex digits), product_id, svn
// (0..65535), debug (bool), tcb_status (Intel's TCB status names), advisory_ids (array of
// strings), platform_mode ("production" | "development"). Everything is checked when the
// policy is set: an unknown claim, operator or member, an ill-typed or out-of-range operand,
// an empty allOf/anyOf or nesting deeper than kMaxDepth is an error naming its path.
#pragma once

#include "support/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ccbox::keybroker {

// What a verified quote says about the enclave and its platform, in policy terms.
struct Claims {
    std::string mrenclave;  // 64 lowercase hex digits
    std::string mrsigner;
    int64_t product_id = 0;
    int64_t svn = 0;
    bool debug = false;
    std::string tcb_status;
    std::vector<std::string> advisory_ids;
    std::string platform_mode;
};

inline constexpr int kMaxPolicyDepth = 16;

class Policy {
public:
    struct Node;
    // Validates `policy`; the error message names the JSON path ("$.allOf[1].claim") and what
    // was wrong with it.
    static Result<Policy> parse(const nlohmann::json& policy);
    // nullopt: granted. Otherwise the path of the failing clause and what it demanded, e.g.
    // "$.allOf[0] (svn greaterOrEquals 2)".
    std::optional<std::string> evaluate(const Claims& claims) const;
    // The canonical text kept in the store (normalised: hex lowercased).
    std::string canonical() const;

    Policy(const Policy&) = default;
    Policy& operator=(const Policy&) = default;
    ~Policy();

private:
    Policy() = default;
    std::shared_ptr<const Node> root_;
    nlohmann::json normalised_;
};

}  // namespace ccbox::keybroker
