#include "enclave_test_support.hpp"

#include "host/isolated/platform_client.hpp"
#include "test_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace ccbox::test {
namespace {

struct PlatformHolder {
    std::string state_dir;
    ccbox_enclave_setting_platform_t platform{};
    ccbox_enclave_setting_t setting{};

    PlatformHolder() {
        // A platform this binary starts leaves by itself once unused, even if a test crashes.
        ::setenv("CCBOX_PLATFORM_IDLE_EXIT", "10", 0);
        std::string tmpl = (std::filesystem::temp_directory_path() / "ccbox-platform-XXXXXX").string();
        state_dir = mkdtemp(tmpl.data());
        platform.state_dir = state_dir.c_str();
        platform.socket_path = nullptr;
        setting.setting_type = CCBOX_ENCLAVE_SETTING_PLATFORM;
        setting.u.platform = &platform;
    }
    ~PlatformHolder() {
        stop();
        std::error_code ec;
        std::filesystem::remove_all(state_dir, ec);
    }
    bool stop() {
        PlatformPaths paths = platform_paths_for(state_dir);
        auto fd = host::connect_platform(paths, false);
        if (!fd.ok())
            return false;
        (void)host::platform_request(*fd, protocol::Type::kStop);
        ::close(*fd);
        for (int i = 0; i < 250 && std::filesystem::exists(paths.socket); ++i)
            ::usleep(20000);
        return !std::filesystem::exists(paths.socket);
    }
};

PlatformHolder& holder() {
    static PlatformHolder instance;
    return instance;
}

}  // namespace

std::vector<Backend> backends_under_test() {
    const char* env = std::getenv("CCBOX_TEST_BACKENDS");
    std::string v = env ? env : "sim,isolated";
    std::vector<Backend> out;
    if (v.find("sim") != std::string::npos)
        out.push_back(Backend::kSim);
    if (v.find("isolated") != std::string::npos)
        out.push_back(Backend::kIsolated);
    return out;
}

std::string backend_name(Backend backend) { return backend == Backend::kSim ? "sim" : "isolated"; }

std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info) { return backend_name(info.param); }

uint32_t create_flags(Backend backend) {
    return backend == Backend::kSim ? CCBOX_ENCLAVE_FLAG_SIMULATE : CCBOX_ENCLAVE_FLAG_ISOLATED;
}

const ccbox_enclave_setting_t* platform_settings() { return &holder().setting; }

const std::string& platform_state_dir() { return holder().state_dir; }

bool stop_test_platform() { return holder().stop(); }

}  // namespace ccbox::test
