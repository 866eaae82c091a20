#include "segment/segment_scanner.h"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog {

namespace {
constexpr size_t kReadWindowBytes = 256 << 10;
// Segments before the last one are mapped, which costs a system call and page faults but no
// copy, in windows of this size. A scan that reaches the end of one (or reads as much of the
// last segment) is a long one, worth a read-ahead thread; short reads (a range from the index,
// --last) never start one.
constexpr size_t kMapWindowBytes = 1 << 20;
}  // namespace

SegmentScanner::SegmentScanner(const ReadableFile& file, std::string name, uint64_t start,
                               uint64_t size, bool is_last)
    : file_(file),
      name_(std::move(name)),
      start_(start),
      position_(start),
      size_(size),
      is_last_(is_last) {}

void SegmentScanner::start_read_ahead() {
  // next_checked() runs at every window edge: this is a scan of a mapped segment that has
  // read most of its first window, or of the last segment that has read as much. The last
  // segment's thread reads rather than maps (a writer may cut its torn tail meanwhile).
  if (read_ahead_started_ || (!mapping_ && !is_last_) || position_ - start_ < kMapWindowBytes / 2)
    return;
  read_ahead_started_ = true;
  try {
    read_ahead_ = std::make_unique<ReadAhead>(
        file_, position_, size_, is_last_ ? ReadAhead::Source::Read : ReadAhead::Source::Map);
  } catch (const std::system_error&) {
    // No thread to be had: map and check every window here, as always.
  }
}

bool SegmentScanner::take_ahead_window(uint64_t pos, size_t length) {
  while ((ahead_window_ = read_ahead_->next_window()) && pos >= ahead_window_->start) {
    if (pos + length <= ahead_window_->start + ahead_window_->size()) {
      ++ahead_windows_;
      mapping_.reset();
      window_ = ahead_window_->bytes();
      window_start_ = ahead_window_->start;
      window_size_ = ahead_window_->size();
      return true;
    }
    // The window ends too soon: a record longer than a window, which the thread maps whole
    // in the next one.
  }
  // Done, or out of step with this scan: map windows here from now on.
  ahead_window_.reset();
  read_ahead_.reset();
  return false;
}

bool SegmentScanner::refill(uint64_t pos, size_t length) {
  if (pos + length > size_) return false;
  // A window of `bytes`, but always at least the bytes asked for and never past the end.
  auto window_of = [&](size_t bytes) {
    return std::max<size_t>(length, std::min<uint64_t>(bytes, size_ - pos));
  };
  // A torn tail of the last segment is cut by the next writer to open the log, maybe while
  // this scan runs: a mapping there would fault, so the last segment is always read.
  if (read_ahead_ && take_ahead_window(pos, length)) return true;
  if (!is_last_) {
    mapping_.reset();  // unmap the old window first: one window mapped at a time
    const size_t want = window_of(kMapWindowBytes);
    mapping_ = file_.map(pos, want);
    if (mapping_) {
      window_ = mapping_->bytes().data();
      window_start_ = pos;
      window_size_ = want;
      return true;
    }
  }
  buffer_.resize(window_of(kReadWindowBytes));
  const size_t got = file_.read_at(pos, buffer_);
  window_ = buffer_.data();
  window_start_ = pos;
  window_size_ = got;
  return got >= length;
}

bool SegmentScanner::zeros_to_end(uint64_t pos) {
  while (pos < size_) {
    size_t chunk = std::min<uint64_t>(kReadWindowBytes, size_ - pos);
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

SegmentScanner::Step SegmentScanner::next_checked() {
  skip_to_ = 0;
  record_position_ = position_;
  if (position_ == size_) return Step::End;
  start_read_ahead();
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
  uint64_t payload_pos = position_ + format::kRecordHeaderSize;
  uint64_t end = payload_pos + header.length;
  // A length above the limit that also runs past the end of the file cannot be a record and
  // hides none: in the last segment it is a torn tail that recovery cuts, not damage that
  // would leave the log unwritable.
  if (check == HeaderCheck::BadField && header.length > format::kMaxPayloadSize && end > size_)
    return fail(fmt::format("record header claims {} bytes, more than the limit of {}, and runs "
                            "past the end of the file",
                            header.length, format::kMaxPayloadSize),
                is_last_);
  if (check == HeaderCheck::BadField) return fail("record header has invalid fields", false);

  if (end > size_)
    return fail(fmt::format("record of {} bytes runs past the end of the file", header.length),
                is_last_);
  if (!fill(payload_pos, header.length))
    throw Error(ErrorKind::Io, fmt::format("segment '{}' shrank while being read", name_));
  if (checksum32({window_at(payload_pos), header.length}) != header.payload_crc) {
    skip_to_ = end;
    return fail("record payload checksum mismatch", is_last_ && end == size_);
  }
  entry_ = entry_at(header, position_);
  position_ = end;
  return Step::Record;
}

void SegmentScanner::skip() {
  position_ = skip_to_;
  skip_to_ = 0;
}

}  // namespace shapelog
