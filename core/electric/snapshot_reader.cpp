#include "electric/snapshot_reader.h"

#include <cstring>

#include <fmt/format.h>

namespace shapelog::electric {

namespace {
constexpr size_t kReadBytes = 256 * 1024;
}

SnapshotReader::SnapshotReader(const ReadOnlyFile& file) : file_(file), buffer_(kReadBytes) {}

void SnapshotReader::set_problem(uint64_t pos, std::string what) {
  if (!problem_.empty()) return;
  problem_ = std::move(what);
  problem_pos_ = pos;
}

bool SnapshotReader::next_line(std::string_view& line, bool& newline) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    if (const void* end = std::memchr(start, '\n', used_ - begin_)) {
      line = std::string_view(start, static_cast<const char*>(end) - start);
      begin_ += line.size() + 1;
      newline = true;
      return true;
    }
    if (eof_) {
      if (begin_ == used_) return false;
      line = std::string_view(start, used_ - begin_);
      begin_ = used_;
      newline = false;
      return true;
    }
    // Keep the partial line, make room (a line longer than the buffer grows it), read more.
    std::memmove(buffer_.data(), start, used_ - begin_);
    buffer_pos_ += begin_;
    used_ -= begin_;
    begin_ = 0;
    if (used_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    size_t got = file_.read_at(buffer_pos_ + used_, buffer_.data() + used_, buffer_.size() - used_);
    used_ += got;
    eof_ = got == 0;
  }
}

bool SnapshotReader::next(std::string_view& row) {
  if (terminated_) return false;
  std::string_view line;
  bool newline = false;
  {
    const uint64_t pos = buffer_pos_ + begin_;
    if (!next_line(line, newline)) {
      set_problem(pos,
                  "the file ends without the terminator byte 0x04 (a snapshot still being "
                  "written, or a cut file)");
      return false;
    }
    if (line == "\x04") {
      terminated_ = true;
      if (newline) set_problem(pos + 1, "bytes after the terminator byte 0x04");
      return false;
    }
    if (!newline || !line.ends_with(',')) {
      set_problem(pos, newline ? "a row that does not end with \",\\n\""
                               : "a row without its \",\\n\" at the end of the file");
      if (!newline) return false;
    }
    row = line.ends_with(',') ? line.substr(0, line.size() - 1) : line;
    ++rows_;
    return true;
  }
}

}  // namespace shapelog::electric
