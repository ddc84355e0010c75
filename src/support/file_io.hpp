// Whole-file reads and atomic writes for hosted code. A write either replaces the target
// completely or leaves it untouched: data goes to a temporary file in the same directory,
// is flushed, and is renamed over the target.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ccbox {

using Bytes = std::vector<uint8_t>;

// Reads all of `path`. Fails with CCBOX_IO_ERROR naming the file if it cannot be read, or if
// it is larger than `max_size`.
Result<Bytes> read_file(const std::string& path, uint64_t max_size = uint64_t(1) << 36);

// Atomically writes `data` to `path` with permission bits `mode` (before the umask).
Result<void> write_file_atomic(const std::string& path, std::span<const uint8_t> data,
                               unsigned mode = 0644);

}  // namespace ccbox
