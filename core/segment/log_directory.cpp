#include "segment/log_directory.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/utf8.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "shapelog/error.h"

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
    throw_bad_input(
        fmt::format("log directory '{}' is not a directory; pass a directory with --dir", dir));
  std::string header_path = join_path(dir, std::string(format::kHeaderFileName));
  if (!fs.exists(header_path))
    throw_bad_input(fmt::format(
        "'{}' is not a shapelog log directory (no {} file); pass a log directory with --dir", dir,
        format::kHeaderFileName));
  if (fs.is_directory(header_path))
    throw_bad_input(
        fmt::format("'{}' is a directory, not the marker file of a shapelog log; "
                    "pass a log directory with --dir",
                    header_path));
  std::string header = read_small_file(fs, header_path, 256);
  if (header == format::kHeaderContents) return;
  const std::string_view expected =
      format::kHeaderContents.substr(0, format::kHeaderContents.size() - 1);
  // "shapelog-log/" digits "\n": a log of another format version, which another shapelog
  // reads. Anything else is damage, which no version of shapelog reads.
  const std::string_view prefix = expected.substr(0, expected.find('/') + 1);
  const std::string_view rest =
      std::string_view(header).substr(std::min(header.size(), prefix.size()));
  const bool other_version = header.starts_with(prefix) && rest.size() >= 2 && rest.size() <= 10 &&
                             rest.back() == '\n' &&
                             rest.find_first_not_of("0123456789") == rest.size() - 1;
  if (other_version)
    throw_bad_input(
        fmt::format("'{}' is a log of format version {}, but this shapelog reads version {}; use a "
                    "shapelog that reads version {}",
                    dir, rest.substr(0, rest.size() - 1), expected.substr(prefix.size()),
                    rest.substr(0, rest.size() - 1)));
  throw_bad_input(fmt::format(
      "'{}' is damaged: it should hold exactly \"{}\\n\" but holds \"{}\"; if '{}' is a shapelog "
      "log, restore the file (printf '{}\\n' > {}) and run 'shapelog check'",
      header_path, expected, printable_excerpt(header), dir, expected, header_path));
}

void create_log_directory(FileSystem& fs, const std::string& dir) {
  if (fs.exists(dir) && !fs.is_directory(dir))
    throw_bad_input(
        fmt::format("log directory '{}' is a file, not a directory; pass a directory "
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
