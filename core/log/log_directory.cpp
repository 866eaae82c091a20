#include "log/log_directory.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "log/record_codec.h"
#include "log/record_format.h"

namespace shapelog {

std::string segment_file_name(uint64_t number) {
  return fmt::format("{:0{}}{}", number, format::kSegmentNameDigits, format::kSegmentSuffix);
}

std::optional<uint64_t> parse_segment_file_name(const std::string& name) {
  if (name.size() != format::kSegmentNameDigits + format::kSegmentSuffix.size()) return {};
  if (!name.ends_with(format::kSegmentSuffix)) return {};
  uint64_t number = 0;
  for (size_t i = 0; i < format::kSegmentNameDigits; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return {};
    if (number > (UINT64_MAX - 9) / 10) return {};
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  if (number == 0) return {};
  return number;
}

std::vector<SegmentFile> list_segments(FileSystem& fs, const std::string& dir) {
  std::vector<SegmentFile> segments;
  for (const std::string& name : fs.list(dir))
    if (auto number = parse_segment_file_name(name)) segments.push_back({*number, name});
  std::sort(segments.begin(), segments.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.number < b.number; });
  return segments;
}

namespace {

std::string read_small_file(FileSystem& fs, const std::string& path, size_t limit) {
  auto file = fs.open_read(path);
  std::string contents(std::min<uint64_t>(file->size(), limit), '\0');
  size_t got = file->read_at(0, {reinterpret_cast<std::byte*>(contents.data()), contents.size()});
  contents.resize(got);
  return contents;
}

}  // namespace

bool is_log_directory(FileSystem& fs, const std::string& dir) {
  return fs.is_directory(dir) && fs.exists(join_path(dir, std::string(format::kHeaderFileName)));
}

void require_log_directory(FileSystem& fs, const std::string& dir) {
  if (!fs.exists(dir))
    throw_bad_input(fmt::format(
        "log directory '{}' does not exist; append to create it, or pick another with --dir "
        "or SHAPELOG_DIR",
        dir));
  if (!fs.is_directory(dir))
    throw_bad_input(fmt::format("log directory '{}' is not a directory; pass a directory with --dir",
                                dir));
  std::string header_path = join_path(dir, std::string(format::kHeaderFileName));
  if (!fs.exists(header_path))
    throw_bad_input(fmt::format(
        "'{}' is not a shapelog log directory (no {} file); pass a log directory with --dir", dir,
        format::kHeaderFileName));
  std::string header = read_small_file(fs, header_path, 256);
  if (header != format::kHeaderContents)
    throw_bad_input(fmt::format(
        "'{}' has header '{}' but this shapelog reads format '{}'; use a matching shapelog",
        header_path, header.substr(0, header.find('\n')),
        format::kHeaderContents.substr(0, format::kHeaderContents.size() - 1)));
}

void create_log_directory(FileSystem& fs, const std::string& dir) {
  if (fs.exists(dir) && !fs.is_directory(dir))
    throw_bad_input(fmt::format("log directory '{}' is a file, not a directory; pass a directory "
                                "with --dir",
                                dir));
  if (is_log_directory(fs, dir)) {
    require_log_directory(fs, dir);
    return;
  }
  if (fs.exists(dir) && !fs.list(dir).empty())
    throw_bad_input(fmt::format(
        "'{}' is not empty and is not a shapelog log directory; pass an empty or new directory "
        "with --dir",
        dir));
  fs.create_directories(dir);
  fs.check_writable(dir);
  fs.write_file(join_path(dir, std::string(format::kHeaderFileName)),
                as_bytes(format::kHeaderContents));
}

}  // namespace shapelog
