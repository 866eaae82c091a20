#include "segment/read_ahead.h"

#include <algorithm>

#include "segment/record_codec.h"
#include "segment/record_format.h"

namespace shapelog {

namespace {
// Large, so that mapping and handing over cost nothing. At most two windows are mapped at a
// time (the scanner's, and the next one), so a read's resident memory grows by 16 MiB.
constexpr size_t kWindowBytes = 8 << 20;
// How often the thread publishes its progress inside a window: often enough that a scanner
// that caught up soon stops checksumming, rarely enough to cost nothing.
constexpr uint64_t kPublishBytes = 256 << 10;
// Read windows are smaller: the scanner reads each soon after the thread wrote it, from the
// cache, and the two buffers are all the memory a read takes.
constexpr size_t kReadWindowBytes = 1 << 20;
}  // namespace

ReadAhead::ReadAhead(const ReadableFile& file, uint64_t start, uint64_t size, Source source)
    : file_(file),
      start_(start),
      size_(size),
      source_(source),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

ReadAhead::~ReadAhead() {
  thread_.request_stop();  // wakes the thread if it waits
  thread_.join();
}

std::shared_ptr<const AheadWindow> ReadAhead::next_window() {
  std::unique_lock lock(mutex_);
  ready_changed_.wait(lock, [&] { return ready_ || finished_; });
  std::shared_ptr<const AheadWindow> window = std::move(ready_);
  ready_ = nullptr;
  lock.unlock();
  taken_changed_.notify_one();
  return window;
}

void ReadAhead::run(const std::stop_token& stop) {
  try {
    read_windows(stop);
  } catch (...) {
    // Only a saving: whatever went wrong, the scanner maps and checks the rest itself, and
    // reports what it finds.
  }
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  ready_changed_.notify_all();
}

std::shared_ptr<AheadWindow> ReadAhead::get_window(uint64_t pos, size_t length) {
  if (source_ == Source::Map) {
    auto mapping = file_.map(pos, length);
    return mapping ? std::make_shared<AheadWindow>(std::move(mapping), pos) : nullptr;
  }
  // The scanner has taken the window before this one, so it is done with the one before that,
  // which used this buffer.
  std::vector<std::byte>& buffer = buffers_[windows_read_++ % 2];
  if (buffer.size() < length) buffer.resize(length);
  const size_t got = file_.read_at(pos, std::span(buffer).first(length));
  // Short when a writer cut the file meanwhile: the scanner reads and judges what is there.
  if (got == 0) return nullptr;
  return std::make_shared<AheadWindow>(std::span<const std::byte>(buffer).first(got), pos);
}

void ReadAhead::read_windows(const std::stop_token& stop) {
  uint64_t pos = start_;
  const size_t default_bytes = source_ == Source::Map ? kWindowBytes : kReadWindowBytes;
  size_t window_bytes = default_bytes;
  while (pos < size_) {
    {
      // One window ahead of the scanner at most.
      std::unique_lock lock(mutex_);
      taken_changed_.wait(lock, stop, [&] { return !ready_; });
    }
    if (stop.stop_requested()) return;  // also when the scanner took the last window and left
    const size_t wanted = std::min<uint64_t>(window_bytes, size_ - pos);
    auto window = get_window(pos, wanted);
    if (!window) return;
    {
      std::lock_guard lock(mutex_);
      ready_ = window;
    }
    ready_changed_.notify_one();

    const uint64_t stopped = check_window(*window, stop);
    // A short read: the file was cut after the scan began, and there is no more to read.
    if (stop.stop_requested() || window->size() < wanted) return;
    if (stopped > pos) {  // the next window begins at the record this one cut
      pos = stopped;
      window_bytes = default_bytes;
      continue;
    }
    // Not one record: the one at pos is not intact (the scanner will report it), or it is
    // longer than a window; then map (or read) it whole, once.
    if (window->size() < format::kRecordHeaderSize) return;
    HeaderCheck check;
    const RecordHeader header = decode_record_header(
        std::span<const std::byte, 32>(window->bytes(), format::kRecordHeaderSize), check);
    const uint64_t record = format::kRecordHeaderSize + header.length;
    if (check != HeaderCheck::Ok || record <= window->size() || record > size_ - pos) return;
    window_bytes = record;
  }
}

uint64_t ReadAhead::check_window(AheadWindow& window, const std::stop_token& stop) {
  uint64_t pos = window.start;
  uint64_t published = pos;
  const uint64_t end = window.start + window.size();
  RecordHeader header;
  while (intact_record(window.bytes() + (pos - window.start), end - pos, header)) {
    pos += format::kRecordHeaderSize + header.length;
    if (pos - published >= kPublishBytes) {
      window.checked_until.store(pos, std::memory_order_release);
      published = pos;
      if (stop.stop_requested()) break;
    }
  }
  window.checked_until.store(pos, std::memory_order_release);
  return pos;
}

}  // namespace shapelog
