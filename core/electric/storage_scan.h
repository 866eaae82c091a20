// Finding the shape directories under an Electric storage directory
// (<storage>/<stack_id>/<h[0:2]>/<h[2:4]>/<handle>/, Electric's pure_file_storage.ex,
// shape_data_dir/3). Symbolic links are not followed (so a loop cannot trap the walk) and
// the walk goes no deeper than kMaxScanDepth; .tmp (compaction scratch) is skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shapelog::electric {

inline constexpr int kMaxScanDepth = 8;

struct StorageScan {
  std::vector<std::string> shape_dirs;  // sorted
  uint64_t symlinks_skipped = 0;
  uint64_t unreadable_dirs = 0;
};

// Throws Error(BadInput) when storage_dir is not a directory.
StorageScan scan_storage(const std::string& storage_dir);

}  // namespace shapelog::electric
