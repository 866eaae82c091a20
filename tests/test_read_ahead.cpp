// ReadAhead: the thread that maps (or reads) and checks a segment ahead of its scanner.
// Concurrency tests, so that TSan sees the hand-over.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "log_test_support.h"
#include "segment/read_ahead.h"
#include "segment/record_codec.h"
#include "shapelog/posix_file_system.h"
#include "storage/temporary_directory.h"

using namespace shapelog;
using namespace shapelog::logtest;

namespace {

constexpr size_t kWindowBytes = 8 << 20;      // read_ahead.cpp's, mapped
constexpr size_t kReadWindowBytes = 1 << 20;  // and read

constexpr size_t window_bytes(ReadAhead::Source source) {
  return source == ReadAhead::Source::Map ? kWindowBytes : kReadWindowBytes;
}

// A segment file of encoded records, and where each record starts.
struct SegmentOnDisk {
  TemporaryDirectory temp{"read-ahead"};
  PosixFileSystem fs;
  std::string path = temp.path() + "/segment";
  std::string bytes;
  std::vector<uint64_t> starts;

  void add(const Entry& entry) {
    starts.push_back(bytes.size());
    encode_record(entry, bytes);
  }
  // Records of 40 to 540 bytes until the file holds at least `size` bytes.
  void fill_to(size_t size) {
    for (uint64_t i = 0; bytes.size() < size; ++i)
      add(entry(i + 1, 0, std::string(8 + i * 37 % 500, static_cast<char>('a' + i % 26))));
  }
  void write() { fs.write_file(path, as_bytes(bytes)); }
};

// Every window the thread hands over, until it has no more. Taking them all keeps them mapped,
// and once next_window() returns nullptr the thread is done: every checked_until is final.
std::vector<std::shared_ptr<const AheadWindow>> all_windows(ReadAhead& ahead) {
  std::vector<std::shared_ptr<const AheadWindow>> windows;
  while (auto window = ahead.next_window()) windows.push_back(std::move(window));
  return windows;
}

// The first record start at or after pos (or the end).
uint64_t record_at_or_after(const SegmentOnDisk& segment, uint64_t pos) {
  for (uint64_t start : segment.starts)
    if (start >= pos) return start;
  return segment.bytes.size();
}

}  // namespace

TEST_SUITE("concurrency") {
TEST_CASE("read-ahead: windows follow each other at record boundaries and are all checked") {
  SegmentOnDisk segment;
  segment.fill_to(3 * kWindowBytes + 12345);
  segment.write();
  auto file = segment.fs.open_read(segment.path);
  // Mapped and read; from the start, and from a record in the middle of the first window.
  for (ReadAhead::Source source : {ReadAhead::Source::Map, ReadAhead::Source::Read})
    for (uint64_t start : {uint64_t{0}, segment.starts[segment.starts.size() / 7]}) {
      CAPTURE(source == ReadAhead::Source::Map);
      CAPTURE(start);
      ReadAhead ahead(*file, start, segment.bytes.size(), source);
      // A read window's bytes are the scanner's only until it asks for the window after the
      // next: each is compared as it comes. Once next_window() returns nullptr the thread is
      // done, and every checked_until is final.
      std::vector<std::shared_ptr<const AheadWindow>> windows;
      while (auto window = ahead.next_window()) {
        CHECK(std::string_view(reinterpret_cast<const char*>(window->bytes()), window->size()) ==
              std::string_view(segment.bytes).substr(window->start, window->size()));
        windows.push_back(std::move(window));
      }
      uint64_t expected_start = start;
      for (const auto& window : windows) {
        CHECK(window->start == expected_start);
        CHECK(window->size() ==
              std::min<uint64_t>(window_bytes(source), segment.bytes.size() - window->start));
        // Checked up to the first record the window does not hold whole.
        const uint64_t window_end = window->start + window->size();
        uint64_t cut = record_at_or_after(segment, window_end);
        if (cut > window_end)
          for (uint64_t s : segment.starts)
            if (s < window_end) cut = s;
        CHECK(window->checked_until.load() == cut);
        expected_start = cut;
      }
      REQUIRE(windows.size() >= 3);  // the segment spans more than three windows
      CHECK(expected_start == segment.bytes.size());
    }
}

TEST_CASE("read-ahead: a read of a file cut after the scan began ends where the file does") {
  // What a writer's cut of the last segment's torn tail looks like to a read that began
  // before it: the file is shorter than the size the scan was given, and its last record is
  // only partly there: its header whole, its payload not. The thread checks what it can read
  // and stops (it must not take the record for one longer than a window and read it again).
  SegmentOnDisk segment;
  segment.fill_to(2 * kReadWindowBytes + 5000);
  const uint64_t full = segment.bytes.size();
  const uint64_t last = segment.starts.back();
  segment.bytes.resize(last + 32 + 3);  // payloads hold at least 8 bytes
  segment.write();
  auto file = segment.fs.open_read(segment.path);
  ReadAhead ahead(*file, 0, full, ReadAhead::Source::Read);
  const auto windows = all_windows(ahead);
  REQUIRE(!windows.empty());
  CHECK(windows.back()->checked_until.load() == last);
}

TEST_CASE("read-ahead: checking stops at the first record that is not intact") {
  SegmentOnDisk segment;
  segment.fill_to(2 * kWindowBytes + 100);
  const uint64_t damaged = record_at_or_after(segment, kWindowBytes + kWindowBytes / 3);
  segment.bytes[damaged + 40] ^= 0x01;  // inside the payload: the header stays sound
  segment.write();
  auto file = segment.fs.open_read(segment.path);
  ReadAhead ahead(*file, 0, segment.bytes.size());
  const auto windows = all_windows(ahead);
  REQUIRE(!windows.empty());
  for (const auto& window : windows) CHECK(window->checked_until.load() <= damaged);
  CHECK(windows.back()->checked_until.load() == damaged);
}

TEST_CASE("read-ahead: a record longer than a window gets a window of its own") {
  SegmentOnDisk segment;
  segment.fill_to(kWindowBytes - 1000);
  const uint64_t big = segment.starts.size();
  segment.add(entry(1'000'000, 0, std::string(kWindowBytes + 4321, 'B')));
  segment.add(entry(1'000'001, 0, "after"));
  segment.write();
  auto file = segment.fs.open_read(segment.path);
  ReadAhead ahead(*file, 0, segment.bytes.size());
  const auto windows = all_windows(ahead);
  REQUIRE(windows.size() >= 2);
  CHECK(windows.back()->checked_until.load() == segment.bytes.size());
  // The big record was not whole in the first window; some window holds all of it.
  CHECK(windows.front()->checked_until.load() == segment.starts[big]);
  CHECK(std::any_of(windows.begin(), windows.end(), [&](const auto& window) {
    return window->start == segment.starts[big] && window->size() > kWindowBytes;
  }));
}

TEST_CASE("read-ahead: a scanner that stops early stops the thread") {
  SegmentOnDisk segment;
  segment.fill_to(4 * kWindowBytes);
  segment.write();
  auto file = segment.fs.open_read(segment.path);
  for (int taken = 0; taken < 3; ++taken) {
    ReadAhead ahead(*file, 0, segment.bytes.size());
    for (int i = 0; i < taken; ++i) CHECK(ahead.next_window() != nullptr);
  }  // each destructor returns: the thread heard the stop, whatever it was doing
}
}  // TEST_SUITE("concurrency")
