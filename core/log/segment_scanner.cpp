#include "log/segment_scanner.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "log/record_codec.h"
#include "log/record_format.h"

namespace shapelog {

namespace {
constexpr size_t kWindowBytes = 256 << 10;
}

SegmentScanner::SegmentScanner(const ReadableFile& file, std::string name, uint64_t start,
                               uint64_t size, bool is_last)
    : file_(file), name_(std::move(name)), position_(start), size_(size), is_last_(is_last) {}

// Makes bytes [pos, pos+length) available in the window. False if the file is shorter.
bool SegmentScanner::fill(uint64_t pos, size_t length) {
  if (pos + length > size_) return false;
  if (pos >= window_start_ && pos + length <= window_start_ + window_.size()) return true;
  size_t want = std::max<size_t>(length, std::min<uint64_t>(kWindowBytes, size_ - pos));
  window_.resize(want);
  size_t got = file_.read_at(pos, window_);
  window_start_ = pos;
  window_.resize(got);
  return got >= length;
}

const std::byte* SegmentScanner::window_at(uint64_t pos) const {
  return window_.data() + (pos - window_start_);
}

bool SegmentScanner::zeros_to_end(uint64_t pos) {
  while (pos < size_) {
    size_t chunk = std::min<uint64_t>(kWindowBytes, size_ - pos);
    if (!fill(pos, chunk)) return false;
    const std::byte* at = window_at(pos);
    if (std::any_of(at, at + chunk, [](std::byte b) { return b != std::byte{0}; })) return false;
    pos += chunk;
  }
  return true;
}

SegmentScanner::Step SegmentScanner::fail(std::string reason, bool torn) {
  damage_ = Damage{name_, record_position_, std::move(reason), torn};
  return torn ? Step::TornTail : Step::Damaged;
}

SegmentScanner::Step SegmentScanner::next() {
  skip_to_ = 0;
  record_position_ = position_;
  if (position_ == size_) return Step::End;
  if (!fill(position_, format::kRecordHeaderSize))
    return fail(fmt::format("partial record header ({} of {} bytes)", size_ - position_,
                            format::kRecordHeaderSize),
                is_last_);

  HeaderCheck check;
  RecordHeader header = decode_record_header(
      std::span<const std::byte, 32>(window_at(position_), format::kRecordHeaderSize), check);
  if (check == HeaderCheck::AllZero) {
    if (is_last_ && zeros_to_end(position_)) return fail("zero-filled tail", true);
    return fail("zeroed record header", false);
  }
  if (check == HeaderCheck::BadChecksum) return fail("record header checksum mismatch", false);
  if (check == HeaderCheck::BadField) return fail("record header has invalid fields", false);

  uint64_t payload_pos = position_ + format::kRecordHeaderSize;
  uint64_t end = payload_pos + header.length;
  if (end > size_)
    return fail(fmt::format("record of {} bytes runs past the end of the file", header.length),
                is_last_);
  if (!fill(payload_pos, header.length))
    throw Error(ErrorKind::Io, fmt::format("segment '{}' shrank while being read", name_));
  const std::byte* payload = window_at(payload_pos);
  if (checksum32({payload, header.length}) != header.payload_crc) {
    skip_to_ = end;
    return fail("record payload checksum mismatch", is_last_ && end == size_);
  }
  entry_.offset = header.offset;
  entry_.kind = header.kind == format::kKindJson ? ValueKind::Json : ValueKind::String;
  entry_.bytes.assign(reinterpret_cast<const char*>(payload), header.length);
  position_ = end;
  return Step::Record;
}

void SegmentScanner::skip() {
  position_ = skip_to_;
  skip_to_ = 0;
}

}  // namespace shapelog
