// Where EDL files come from: the file system for the tool, memory for tests and the fuzzer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccbox::edl {

class FileProvider {
public:
    virtual ~FileProvider() = default;
    // The contents of `path`, or nothing if it cannot be read.
    virtual std::optional<std::string> read(const std::string& path) = 0;
    // Whether `path` names a file read() would return (without reading it).
    virtual bool exists(const std::string& path) = 0;
    // A key that is the same for every spelling of one file (used for import cycles and
    // for importing one file twice).
    virtual std::string identity(const std::string& path) = 0;
};

class DiskFileProvider final : public FileProvider {
public:
    std::optional<std::string> read(const std::string& path) override;
    bool exists(const std::string& path) override;
    std::string identity(const std::string& path) override;

    // Files larger than this are refused (an EDL is a few kilobytes).
    static constexpr size_t kMaxFileSize = 16u << 20;
};

// Files held in memory, keyed by their exact path ("dir/x.edl").
class MemoryFileProvider final : public FileProvider {
public:
    void add(std::string path, std::string contents) { files_[std::move(path)] = std::move(contents); }
    std::optional<std::string> read(const std::string& path) override;
    bool exists(const std::string& path) override;
    std::string identity(const std::string& path) override;

private:
    std::map<std::string, std::string> files_;
};

// Passes reads through to another provider and remembers every file that was read (in
// order, once each), so the tool can write a dependency file for build systems.
class RecordingFileProvider final : public FileProvider {
public:
    explicit RecordingFileProvider(FileProvider& inner) : inner_(inner) {}
    std::optional<std::string> read(const std::string& path) override;
    bool exists(const std::string& path) override { return inner_.exists(path); }
    std::string identity(const std::string& path) override { return inner_.identity(path); }
    const std::vector<std::string>& files_read() const { return files_read_; }

private:
    FileProvider& inner_;
    std::vector<std::string> files_read_;
};

// Joins a directory and a relative path ("" or "." directory: the path itself).
std::string join_path(const std::string& directory, const std::string& path);
// The directory part of a path ("" when there is none).
std::string directory_of(const std::string& path);
// "dir/name.edl" -> "name".
std::string stem_of(const std::string& path);
bool is_absolute_path(const std::string& path);

}  // namespace ccbox::edl
