// The files of a log directory: naming, listing and the header file (record_format.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shapelog/file_system.h"

namespace shapelog {

struct SegmentFile {
  uint64_t number;
  std::string name;
};

std::string segment_file_name(uint64_t number);
std::optional<uint64_t> parse_segment_file_name(const std::string& name);

// Segment files in number order. Other files are not segments and are left alone.
std::vector<SegmentFile> list_segments(FileSystem& fs, const std::string& dir);

// Throws BadInput unless dir is an existing shapelog log directory of a supported version.
void require_log_directory(FileSystem& fs, const std::string& dir);

// Creates dir and its header file if needed (the first append does this); throws BadInput if
// dir is a file, or a non-empty directory that is not a shapelog log.
void create_log_directory(FileSystem& fs, const std::string& dir);

// True when dir holds a shapelog log.
bool is_log_directory(FileSystem& fs, const std::string& dir);

}  // namespace shapelog
