#include "electric/shape_dir.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog::electric {

namespace {

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

LogPart part(const std::string& dir, const std::string& suffix) {
  LogPart part;
  part.suffix = suffix;
  part.json_path = fmt::format("{}/log/log.{}.jsonfile.bin", dir, suffix);
  part.chunk_path = fmt::format("{}/log/log.{}.chunk.bin", dir, suffix);
  return part;
}

}  // namespace

bool LogPart::holds(const Offset& offset) const {
  if (from && !(from->is_before(offset) || from->is_at(offset))) return false;
  if (before && (before->is_before(offset) || before->is_at(offset))) return false;
  return true;
}

std::string ShapeDir::snapshot_chunk_path(uint64_t n) const {
  return fmt::format("{}/log/{}.jsonsnapshot", path, n);
}

ShapeDir open_shape_dir(const std::string& path) {
  if (!is_directory(path))
    throw_bad_input(
        fmt::format("{} is not a directory; give a shape directory, "
                    "STORAGE_DIR/STACK_ID/ab/cd/HANDLE (shapelog electric ls "
                    "STORAGE_DIR lists them)",
                    path));
  if (!is_directory(path + "/log") && !is_directory(path + "/metadata"))
    throw_bad_input(
        fmt::format("{} is not an Electric shape directory: it has neither log/ nor "
                    "metadata/; give STORAGE_DIR/STACK_ID/ab/cd/HANDLE (shapelog "
                    "electric ls STORAGE_DIR lists them)",
                    path));
  ShapeDir shape;
  shape.path = path;
  while (shape.path.size() > 1 && shape.path.back() == '/') shape.path.pop_back();
  shape.handle = shape.path.substr(shape.path.find_last_of('/') + 1);
  shape.metadata = read_shape_metadata(shape.path + "/metadata");
  if (const auto& boundary = shape.metadata.compaction_boundary) {
    LogPart compacted = part(shape.path, boundary->suffix);
    compacted.before = boundary->offset;
    shape.parts.push_back(compacted);
  }
  LogPart latest = part(shape.path, shape.metadata.latest_name);
  if (const auto& boundary = shape.metadata.compaction_boundary) latest.from = boundary->offset;
  shape.parts.push_back(latest);
  return shape;
}

}  // namespace shapelog::electric
