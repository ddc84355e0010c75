#include "tools/ccbox/platform_commands.hpp"

#include "host/isolated/platform_client.hpp"
#include "platform/service/sku.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace ccbox {
namespace {

PlatformPaths paths_of(const PlatformCommandOptions& o) { return client_paths_chosen(o.state_dir, o.socket); }

Result<nlohmann::json> query_status(int fd) {
    CCBOX_ASSIGN_OR_RETURN(protocol::Message reply, host::platform_request(fd, protocol::Type::kStatus));
    auto j = nlohmann::json::parse(reply.payload.begin(), reply.payload.end(), nullptr, false);
    if (reply.type != protocol::Type::kStatusReply || j.is_discarded())
        return Error(CCBOX_PROTOCOL_ERROR, "the platform sent a malformed status");
    return j;
}

std::string mib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return buf;
}

void print_status(const nlohmann::json& j) {
    std::printf("platform  %s (pid %d, uid %u)\n", j["socket"].get<std::string>().c_str(), j["pid"].get<int>(),
                j.value("uid", 0u));
    // The platform reports its own executable (it is non-dumpable: /proc/PID/exe is closed to
    // other processes of its uid).
    std::printf("exe       %s\n", j.value("executable", std::string("unknown")).c_str());
    std::printf("state     %s\n", j["state_dir"].get<std::string>().c_str());
    std::printf("SKU       %s\n", j["sku"].get<std::string>().c_str());
    const std::string mode = j.value("mode", "development");
    std::printf("mode      %s (%s)\n", mode.c_str(),
                mode == "production" ? "its secrets are out of its clients' reach; reports say production"
                                     : "NOT CONFIDENTIAL: its secrets are readable by the user that runs it, so "
                                       "that user can forge its keys and reports; reports say development");
    std::printf("EPC       %s total, %s used, %s free\n", mib(j["epc_capacity_bytes"]).c_str(),
                mib(j["epc_used_bytes"]).c_str(), mib(j["epc_free_bytes"]).c_str());
    if (j.contains("paging")) {
        const auto& p = j["paging"];
        std::printf("paging    %s resident (high water %s), %s evicted, commit limit %s\n",
                    mib(j["epc_resident_bytes"]).c_str(), mib(j["epc_resident_high_water_bytes"]).c_str(),
                    mib(p["evicted_pages"].get<uint64_t>() * 4096).c_str(), mib(j["commit_limit_bytes"]).c_str());
        std::printf("          %llu page-ins, %llu page-outs, VA pages %llu resident, %llu evicted\n",
                    p["page_ins"].get<unsigned long long>(), p["page_outs"].get<unsigned long long>(),
                    p["va_resident_pages"].get<unsigned long long>(), p["va_evicted_pages"].get<unsigned long long>());
    }
    std::printf("enclaves  %zu\n", j["enclaves"].size());
    if (j.value("other_enclaves", 0u))
        std::printf("          and %u of other users (%s of EPC)\n", j["other_enclaves"].get<unsigned>(),
                    mib(j["other_epc_bytes"]).c_str());
    if (!j["enclaves"].empty())
        std::printf("  %-4s %-8s %-10s %-10s %-9s %-9s %-9s %-9s %s\n", "id", "pid", "EPC pages", "EPC", "resident",
                    "evicted", "page-ins", "page-outs", "image");
    for (const auto& e : j["enclaves"]) {
        const nlohmann::json p = e.value("paging", nlohmann::json::object());
        std::printf("  %-4llu %-8d %-10llu %-10s %-9llu %-9llu %-9llu %-9llu %s\n", e["id"].get<unsigned long long>(),
                    e["pid"].get<int>(), e["epc_pages"].get<unsigned long long>(), mib(e["epc_bytes"]).c_str(),
                    p.value("resident_pages", 0ull), p.value("evicted_pages", 0ull), p.value("page_ins", 0ull),
                    p.value("page_outs", 0ull), e["image"].get<std::string>().c_str());
    }
}

// Prints the status of the platform at `paths`, as JSON or as text.
Result<void> show_status(const PlatformPaths& paths, bool json) {
    CCBOX_ASSIGN_OR_RETURN(int fd, host::connect_platform(paths, false));
    auto status = query_status(fd);
    ::close(fd);
    CCBOX_TRY(status);
    if (json)
        std::printf("%s\n", status->dump(2).c_str());
    else
        print_status(*status);
    return ok_result();
}

}  // namespace

Result<void> platform_start(const PlatformCommandOptions& o) {
    const PlatformPaths paths = paths_of(o);
    std::vector<std::string> args;
    SkuProfile wanted;
    if (!o.sku.empty()) {
        CCBOX_ASSIGN_OR_RETURN(wanted, sku_by_name(o.sku));
        args = {"--sku", o.sku};
    } else if (!o.epc.empty()) {
        CCBOX_ASSIGN_OR_RETURN(wanted, sku_with_epc(o.epc));
        args = {"--epc", o.epc};
    }
    auto running = host::connect_platform(paths, false);
    if (running.ok()) {
        auto status = query_status(*running);
        ::close(*running);
        CCBOX_TRY(status);
        if (!args.empty() && ((*status)["epc_capacity_bytes"].get<uint64_t>() != wanted.epc_bytes))
            return Error(CCBOX_ALREADY_EXISTS, "a platform is already running on " + paths.socket + " with SKU " +
                                                   (*status)["sku"].get<std::string>() +
                                                   "; stop it first to change the SKU");
        std::printf("a platform is already running on %s\n", paths.socket.c_str());
        return ok_result();
    }
    if (!o.commit_limit.empty()) {
        args.push_back("--commit-limit");
        args.push_back(o.commit_limit);
    }
    CCBOX_TRY(host::start_platform(paths, args));
    return show_status(paths, o.json);
}

Result<void> platform_stop(const PlatformCommandOptions& o) {
    const PlatformPaths paths = paths_of(o);
    auto fd = host::connect_platform(paths, false);
    if (!fd.ok()) {
        std::printf("no platform is running on %s\n", paths.socket.c_str());
        return ok_result();
    }
    auto reply = host::platform_request(*fd, protocol::Type::kStop);
    ::close(*fd);
    CCBOX_TRY(reply);
    for (int i = 0; i < 500; ++i) {  // until it has let go of the socket (its enclaves are gone)
        auto again = host::connect_platform(paths, false);
        if (!again.ok()) {
            std::printf("platform on %s stopped\n", paths.socket.c_str());
            return ok_result();
        }
        ::close(*again);
        ::usleep(20000);
    }
    return Error(CCBOX_PLATFORM_ERROR, "the platform on " + paths.socket + " did not stop");
}

Result<void> platform_status(const PlatformCommandOptions& o) { return show_status(paths_of(o), o.json); }

}  // namespace ccbox
