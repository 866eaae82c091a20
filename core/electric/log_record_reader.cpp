#include "electric/log_record_reader.h"

#include <algorithm>
#include <cstring>

namespace shapelog::electric {

namespace {
constexpr size_t kReadBytes = 256 * 1024;  // fits the L2 cache: a raw read copies it out again
}

const char* op_name(uint8_t op_type) {
  switch (op_type) {
    case 'i': return "insert";
    case 'u': return "update";
    case 'd': return "delete";
    case 'c': return "control";
  }
  return nullptr;
}

LogRecordReader::LogRecordReader(const ReadOnlyFile& file, uint64_t start)
    : file_(file), buffer_(kReadBytes + kPadding), buffer_pos_(start), pos_(start) {}

void LogRecordReader::seek(uint64_t pos) {
  if (pos >= buffer_pos_ && pos <= buffer_pos_ + used_) {
    pos_ = pos;
    return;
  }
  buffer_pos_ = pos_ = pos;
  used_ = 0;
}

bool LogRecordReader::ensure(uint64_t n) {
  const uint64_t have = buffer_pos_ + used_ - pos_;
  if (have >= n) return true;
  // Move what is left of the buffer to its front, grow it if one record needs more, fill it.
  const size_t offset = static_cast<size_t>(pos_ - buffer_pos_);
  std::memmove(buffer_.data(), buffer_.data() + offset, static_cast<size_t>(have));
  buffer_pos_ = pos_;
  used_ = static_cast<size_t>(have);
  const size_t want = std::max<size_t>(static_cast<size_t>(n), kReadBytes);
  if (buffer_.size() < want + kPadding) buffer_.resize(want + kPadding);
  while (used_ < n) {
    size_t got = file_.read_at(buffer_pos_ + used_, buffer_.data() + used_,
                               buffer_.size() - kPadding - used_);
    if (got == 0) return false;
    used_ += got;
  }
  return true;
}

uint64_t LogRecordReader::be(size_t at, size_t width) const {
  const char* p = buffer_.data() + (pos_ - buffer_pos_) + at;
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value = value << 8 | static_cast<uint8_t>(p[i]);
  return value;
}

LogRecordReader::Status LogRecordReader::next(LogRecord& out) {
  if (!ensure(20)) {
    if (buffer_pos_ + used_ == pos_) return Status::End;
    cut_need_ = kRecordOverhead;
    return Status::Cut;
  }
  const uint64_t key_size = be(16, 4);
  if (!ensure(key_size + kRecordOverhead)) {
    cut_need_ = key_size + kRecordOverhead;
    return Status::Cut;
  }
  const uint64_t json_size = be(22 + key_size, 8);
  const uint64_t head = kRecordOverhead + key_size;
  if (json_size > buffer_pos_ + used_ - pos_ - head) {
    // Past the buffer: compare with what the file holds before asking for it, since
    // json_size may be 2^63.
    const uint64_t available = std::max(file_.size(), buffer_pos_ + used_) - pos_;
    if (json_size > available - head || !ensure(head + json_size)) {
      cut_need_ = json_size > UINT64_MAX - head ? UINT64_MAX : head + json_size;
      return Status::Cut;
    }
  }
  const char* p = buffer_.data() + (pos_ - buffer_pos_);
  out.pos = pos_;
  out.offset = Offset(be(0, 8), be(8, 8));
  out.key = std::string_view(p + 20, static_cast<size_t>(key_size));
  out.op_type = static_cast<uint8_t>(p[20 + key_size]);
  out.flag = static_cast<uint8_t>(p[21 + key_size]);
  out.json = std::string_view(p + head, static_cast<size_t>(json_size));
  pos_ += head + json_size;
  return Status::Record;
}

}  // namespace shapelog::electric
