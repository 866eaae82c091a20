// Records of an Electric log file (log.S.jsonfile.bin), read front to back through one
// buffer: tx u64, op u64, key_size u32, key, op_type u8, flag u8, json_size u64, json (all
// big-endian; Electric's log_file.ex, make_entry/1). Memory is the buffer, which grows only
// to hold the largest record, and only once the file is known to hold all of it: a size
// field of 2^63 is reported as a record cut short, never allocated.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "electric/read_only_file.h"
#include "shapelog/offset.h"

namespace shapelog::electric {

inline constexpr uint64_t kRecordOverhead = 30;  // 16 offset + 4 key_size + 1 + 1 + 8

struct LogRecord {
  uint64_t pos = 0;  // byte position of the record in the file
  Offset offset;
  uint8_t op_type = 0;
  uint8_t flag = 0;
  std::string_view key;   // valid until the next call of next()
  std::string_view json;  // valid until the next call of next(); readable padding follows
  uint64_t end() const { return pos + kRecordOverhead + key.size() + json.size(); }
};

// "insert", "update", "delete", "control", or nullptr for an unknown byte.
const char* op_name(uint8_t op_type);

class LogRecordReader {
 public:
  enum class Status { Record, End, Cut };
  // Bytes after each json that are always readable: what simdjson asks of its input.
  static constexpr size_t kPadding = 64;

  explicit LogRecordReader(const ReadOnlyFile& file, uint64_t start = 0);

  // The next record (Record), the end of the file exactly at a record boundary (End), or a
  // record the file holds only part of (Cut; position() is its first byte and cut_need()
  // the bytes it claims). The file's size is taken afresh when the buffer runs out, so a
  // reader of a growing file sees what was appended (--follow calls next() again after Cut).
  Status next(LogRecord& out);
  uint64_t position() const { return pos_; }
  // After Cut: the whole record's length as far as its header tells (or the header's).
  uint64_t cut_need() const { return cut_need_; }
  void seek(uint64_t pos);

 private:
  // Makes bytes [pos_, pos_ + n) available in the buffer; false if the file ends first.
  bool ensure(uint64_t n);
  uint64_t be(size_t at, size_t width) const;

  const ReadOnlyFile& file_;
  std::vector<char> buffer_;
  uint64_t buffer_pos_ = 0;  // file position of buffer_[0]
  size_t used_ = 0;          // valid bytes in buffer_
  uint64_t pos_ = 0;         // next record's position
  uint64_t cut_need_ = 0;
};

}  // namespace shapelog::electric
