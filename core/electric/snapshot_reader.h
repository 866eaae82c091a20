// An initial-snapshot chunk file, log/<n>.jsonsnapshot: rows of JSON each followed by ",\n",
// then the byte 0x04 alone on the last line (Electric's pure_file_storage/snapshot.ex,
// write_snapshot_stream!/3; its reader stream_chunk_lines/2 stops at that line).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "electric/read_only_file.h"

namespace shapelog::electric {

class SnapshotReader {
 public:
  explicit SnapshotReader(const ReadOnlyFile& file);

  // The next row without its ",\n" (valid until the next call), or false at the terminator
  // or the end of the file.
  bool next(std::string_view& row);
  bool terminated() const { return terminated_; }
  // The first thing wrong with the framing, with its byte position, or "" (after next()
  // returned false: bytes after the terminator, a row without ",\n", no terminator).
  const std::string& problem() const { return problem_; }
  uint64_t problem_pos() const { return problem_pos_; }
  uint64_t rows() const { return rows_; }

 private:
  // The next line (without '\n') and whether it ended with '\n'; false at the end of file.
  bool next_line(std::string_view& line, bool& newline);
  void set_problem(uint64_t pos, std::string what);

  const ReadOnlyFile& file_;
  std::vector<char> buffer_;
  uint64_t buffer_pos_ = 0;
  size_t begin_ = 0, used_ = 0;
  bool eof_ = false, terminated_ = false;
  uint64_t rows_ = 0;
  std::string problem_;
  uint64_t problem_pos_ = 0;
};

}  // namespace shapelog::electric
