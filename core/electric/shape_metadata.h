// The metadata/ directory of a shape: one file per stored key, each the ETF of its value
// (Electric's pure_file_storage.ex, write_metadata!/3), except snapshot_started?.bin which
// means true by existing. Read once, each file whole (they are tens of bytes); a file that
// does not decode is kept as an error for `check` and `stat`, not thrown.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "electric/etf_term.h"
#include "electric/log_offset.h"

namespace shapelog::electric {

inline constexpr int64_t kStorageVersion = 1;  // pure_file_storage.ex, @version

struct MetadataFile {
  std::string key;  // "last_persisted_txn_offset", "snapshot_started?", ...
  std::string path;
  bool present = false;
  uint64_t bytes = 0;
  std::optional<Term> term;  // decoded, when present, it decodes and is not snapshot_started?
  std::string error;         // why it does not decode or has the wrong shape, or empty
  size_t trailing = 0;       // bytes after the term (Electric's binary_to_term/1 ignores them)
};

struct CompactionBoundary {
  LogOffset offset;    // records before it are in the compacted suffix
  std::string suffix;  // "compacted.<ms>"
};

struct ShapeMetadata {
  std::vector<MetadataFile> files;  // every stored key, in Electric's order
  std::optional<int64_t> version;
  std::string latest_name = "latest.0";  // the default when latest_name.bin is absent
  bool latest_name_stored = false;
  // Electric's default when absent: {0, :infinity}.
  std::optional<LogOffset> last_persisted_txn_offset;
  std::optional<LogOffset> last_snapshot_chunk;
  bool snapshot_started = false;
  std::optional<CompactionBoundary> compaction_boundary;

  // last_persisted_txn_offset, or Electric's default.
  LogOffset last_persisted() const;
};

ShapeMetadata read_shape_metadata(const std::string& metadata_dir);

}  // namespace shapelog::electric
