#include "file_provider.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace ccbox::edl {

bool DiskFileProvider::exists(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec) || ec)
        return false;
    auto size = std::filesystem::file_size(path, ec);
    return !ec && size <= kMaxFileSize;
}

std::optional<std::string> DiskFileProvider::read(const std::string& path) {
    if (!exists(path))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return std::nullopt;
    return contents;
}

std::string DiskFileProvider::identity(const std::string& path) {
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    if (ec)
        return path;
    return canonical.string();
}

std::optional<std::string> RecordingFileProvider::read(const std::string& path) {
    auto contents = inner_.read(path);
    if (contents && std::find(files_read_.begin(), files_read_.end(), path) == files_read_.end())
        files_read_.push_back(path);
    return contents;
}

bool MemoryFileProvider::exists(const std::string& path) {
    return files_.count(path) || files_.count(identity(path));
}

std::optional<std::string> MemoryFileProvider::read(const std::string& path) {
    auto it = files_.find(path);
    if (it == files_.end())
        it = files_.find(identity(path));
    if (it == files_.end())
        return std::nullopt;
    return it->second;
}

std::string MemoryFileProvider::identity(const std::string& path) {
    return std::filesystem::path(path).lexically_normal().string();
}

std::string join_path(const std::string& directory, const std::string& path) {
    if (directory.empty() || directory == "." || is_absolute_path(path))
        return path;
    if (directory.back() == '/')
        return directory + path;
    return directory + '/' + path;
}

std::string directory_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return "";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

std::string stem_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    auto dot = name.find_last_of('.');
    if (dot != std::string::npos && dot != 0)
        name.resize(dot);
    return name;
}

bool is_absolute_path(const std::string& path) { return !path.empty() && path[0] == '/'; }

}  // namespace ccbox::edl
