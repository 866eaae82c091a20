// One shape's directory, <storage>/<stack>/<h[0:2]>/<h[2:4]>/<handle>/ with log/, metadata/
// and snapshot/ (Electric's pure_file_storage.ex, shape_data_dir/3): its metadata and where
// its records live. After a compaction, offsets before the boundary are read from the
// log.compacted.<ms>.* files and the rest from log.latest.<ms>.* (fetch_chunk/3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "electric/shape_metadata.h"

namespace shapelog::electric {

struct LogPart {
  std::string suffix;      // "latest.0", "compacted.1712345678901"
  std::string json_path;   // log/log.<suffix>.jsonfile.bin
  std::string chunk_path;  // log/log.<suffix>.chunk.bin
  // Records of this part are those at or after `from` and before `before` (when set).
  std::optional<LogOffset> from, before;
  bool holds(const Offset& offset) const;
};

struct ShapeDir {
  std::string path;
  std::string handle;  // the directory's name
  ShapeMetadata metadata;
  std::vector<LogPart> parts;  // in offset order

  std::string log_dir() const { return path + "/log"; }
  std::string snapshot_chunk_path(uint64_t n) const;
};

// Reads the shape directory at path. Throws Error(BadInput) when path is not one (no log/ and
// no metadata/ in it), saying what to give instead.
ShapeDir open_shape_dir(const std::string& path);

}  // namespace shapelog::electric
