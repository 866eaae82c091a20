// Maps a sealed segment window by window, or reads the last segment window by window, and
// checks its records on a second thread, ahead of the SegmentScanner that scans it. A long read
// then neither takes the mapping's page faults (or the read's copy) nor checksums the records
// itself: on two cores, that work overlaps with the output.
//
// Only ever a saving. The thread hands each window over as soon as it is mapped and then checks
// its records in order, publishing how far it got; the scanner trusts a record without
// checking it only below that mark, and checks every other record itself, as it would without
// this thread. The thread stops at the first record that is not intact (the scanner then
// finds and reports it), at the end of the bytes it was given, when a mapping fails, or when
// the scanner is done.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "shapelog/file_system.h"

namespace shapelog {

// Bytes [start, start + size()) of a segment, mapped or read. Shared by the thread, while it
// checks them, and the scanner, while it reads them; whichever lets go last unmaps them (mostly
// the scanner: an unmap by the other thread would interrupt the scanner to flush its TLB). Read
// bytes live in one of the ReadAhead's two buffers, which the thread fills again only once the
// scanner has asked for the window after the next one (so it no longer reads this one).
struct AheadWindow {
  AheadWindow(std::unique_ptr<MappedBytes> mapping, uint64_t start)
      : mapping(std::move(mapping)),
        start(start),
        data(this->mapping->bytes()),
        checked_until(start) {}
  AheadWindow(std::span<const std::byte> read, uint64_t start)
      : start(start), data(read), checked_until(start) {}

  const std::byte* bytes() const { return data.data(); }
  size_t size() const { return data.size(); }

  const std::unique_ptr<MappedBytes> mapping;  // null for read bytes
  const uint64_t start;                        // where a record begins
  const std::span<const std::byte> data;
  // Every record from start up to this byte is intact, and a record (or the end) begins here.
  std::atomic<uint64_t> checked_until;
};

class ReadAhead {
 public:
  // How the thread gets the bytes: Map only files that ReadableFile::map maps and that
  // nothing will cut (sealed segments); Read (pread into a buffer) any other, such as the last
  // segment, whose torn tail a writer may cut meanwhile.
  enum class Source { Map, Read };

  // Reads `file` from byte `start`, where a record begins, up to byte `size`.
  ReadAhead(const ReadableFile& file, uint64_t start, uint64_t size, Source source = Source::Map);
  ~ReadAhead();  // stops the thread and waits for it (at most a window's checking)

  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next window, in file order; each begins at the first record the one before did not
  // hold whole. Waits for the thread to map it; nullptr once there are no more (the end, a
  // record that is not intact, a mapping that failed).
  std::shared_ptr<const AheadWindow> next_window();

 private:
  void run(const std::stop_token& stop);
  // Maps (or reads) and hands over the windows, checking each; returns when there are no more.
  void read_windows(const std::stop_token& stop);
  // Window bytes [pos, pos+length) from source_; nullptr when there are none to be had.
  std::shared_ptr<AheadWindow> get_window(uint64_t pos, size_t length);
  // Checks the records of window in order; returns where it stopped.
  static uint64_t check_window(AheadWindow& window, const std::stop_token& stop);

  const ReadableFile& file_;
  const uint64_t start_;
  const uint64_t size_;
  const Source source_;
  // Source::Read: the two buffers windows are read into, in turn, and how many windows so far.
  std::vector<std::byte> buffers_[2];
  uint64_t windows_read_ = 0;

  std::mutex mutex_;
  std::condition_variable ready_changed_;      // the scanner waits for a window
  std::condition_variable_any taken_changed_;  // the thread waits for the scanner to take one
  std::shared_ptr<AheadWindow> ready_;         // mapped, not yet taken
  bool finished_ = false;

  std::jthread thread_;  // last, so it starts after everything it uses is set
};

}  // namespace shapelog
