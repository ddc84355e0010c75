// `ccbox platform start|stop|status`: managing a ccboxd platform service.
#pragma once

#include "support/result.hpp"

#include <string>

namespace ccbox {

struct PlatformCommandOptions {
    std::string state_dir;
    std::string socket;
    std::string sku;
    std::string epc;
    std::string commit_limit;  // ccboxd --commit-limit (docs/paging.md)
    bool json = false;
};

Result<void> platform_start(const PlatformCommandOptions& options);
Result<void> platform_stop(const PlatformCommandOptions& options);
Result<void> platform_status(const PlatformCommandOptions& options);

}  // namespace ccbox
