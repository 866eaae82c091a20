// Helpers shared by the log-core tests (test_record_format, test_disk_log, test_shared_buffer,
// test_log_writer, test_read_strategies): building entries, reading a log into a vector,
// catching errors, and doctest printers for offsets and entries.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "error_capture.h"
#include "segment/disk_log_reader.h"
#include "shapelog/entry.h"
#include "shapelog/error.h"
#include "shapelog/file_system.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/offset.h"
#include "shapelog/read_range.h"
#include "shapelog/read_strategy.h"
#include "shapelog/yield_point.h"
#include "warning_match.h"

namespace shapelog::logtest {

// Writer options for tests: flushes only when asked (or when the buffer is full), and gives
// up on a held lock quickly.
inline WriterOptions manual_flush(uint64_t capacity = 64 << 10) {
  WriterOptions options;
  options.flush_threshold = 0;
  options.buffer_capacity = capacity;
  options.lock_timeout = std::chrono::milliseconds(50);
  return options;
}

// An entry whose value says where it is ("v3_1") unless a value is given.
inline Entry entry(uint64_t tx, uint64_t op = 0, std::optional<std::string> value = {}) {
  return Entry{Offset(tx, op), ValueKind::String, value ? *value : fmt::format("v{}_{}", tx, op)};
}

inline Entry json_entry(uint64_t tx, uint64_t op, std::string json) {
  return Entry{Offset(tx, op), ValueKind::Json, std::move(json)};
}

// One transaction of `ops` entries at tx, values of varied length (value_bytes + op*7).
inline std::vector<Entry> transaction(uint64_t tx, uint64_t ops, size_t value_bytes = 8) {
  std::vector<Entry> entries;
  for (uint64_t op = 0; op < ops; ++op)
    entries.push_back(
        entry(tx, op, fmt::format("{}_{}:{}", tx, op, std::string(value_bytes + op * 7, 'x'))));
  return entries;
}

inline ReadRange after(Offset start, std::optional<Offset> to = {}) {
  return ReadRange{start, false, to};
}
inline ReadRange from(Offset start, std::optional<Offset> to = {}) {
  return ReadRange{start, true, to};
}
inline ReadRange everything() { return ReadRange{}; }

// The entries of `entries` inside range with offset <= end.
inline std::vector<Entry> expected_in(const std::vector<Entry>& entries, const ReadRange& range,
                                      Offset end) {
  std::vector<Entry> out;
  for (const Entry& e : entries)
    if (range.contains(e.offset) && e.offset <= end) out.push_back(e);
  return out;
}

inline std::vector<Entry> read_disk(const DiskLogReader& disk, const ReadRange& range,
                                    Offset end = Offset(UINT64_MAX, UINT64_MAX)) {
  std::vector<Entry> out;
  disk.read(range, end, [&](const EntryView& e) {
    out.push_back(e.owned());
    return true;
  });
  return out;
}

inline std::vector<Entry> read_log(LogReader& reader, ReadStrategy strategy,
                                   const ReadRange& range = {}) {
  std::vector<Entry> out;
  reader.read(range, strategy, [&](const EntryView& e) {
    out.push_back(e.owned());
    return true;
  });
  return out;
}

// Every strategy reads the whole log in `dir` as `expected`.
inline void check_every_strategy_reads(FileSystem& fs, const std::string& dir,
                                       const std::vector<Entry>& expected) {
  LogReader reader(fs, dir);
  for (ReadStrategy strategy : kAllStrategies) {
    CAPTURE(strategy_name(strategy));
    CHECK(read_log(reader, strategy) == expected);
  }
}

inline std::vector<Offset> offsets_of(const std::vector<Entry>& entries) {
  std::vector<Offset> out;
  for (const Entry& e : entries) out.push_back(e.offset);
  return out;
}

inline void append_all(std::vector<Entry>& to, const std::vector<Entry>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

using testing::error_from;
using testing::error_kind;

using testing::find_warning;

// A yield hook that calls a function at every point.
class FunctionHook : public YieldHook {
 public:
  explicit FunctionHook(std::function<void(const PointEvent&)> on_point)
      : on_point_(std::move(on_point)) {}
  void on_point(const PointEvent& event) override { on_point_(event); }

 private:
  std::function<void(const PointEvent&)> on_point_;
};

// Installs a hook for the scope; removes it even when an assertion throws.
class ScopedHook {
 public:
  explicit ScopedHook(YieldHook& hook) { install_yield_hook(&hook); }
  ~ScopedHook() { install_yield_hook(nullptr); }
  ScopedHook(const ScopedHook&) = delete;
  ScopedHook& operator=(const ScopedHook&) = delete;
};

}  // namespace shapelog::logtest

template <>
struct doctest::StringMaker<shapelog::Offset> {
  static String convert(const shapelog::Offset& offset) { return offset.to_string().c_str(); }
};

template <>
struct doctest::StringMaker<shapelog::Entry> {
  static String convert(const shapelog::Entry& e) {
    return fmt::format("{}={}{:?}", e.offset, e.kind == shapelog::ValueKind::Json ? "json:" : "",
                       e.bytes.size() > 40 ? e.bytes.substr(0, 40) + "..." : e.bytes)
        .c_str();
  }
};

template <>
struct doctest::StringMaker<std::vector<shapelog::Entry>> {
  static String convert(const std::vector<shapelog::Entry>& entries) {
    std::string out = "[";
    for (const shapelog::Entry& e : entries) {
      if (out.size() > 1) out += ", ";
      out += doctest::StringMaker<shapelog::Entry>::convert(e).c_str();
    }
    return (out + "]").c_str();
  }
};

template <>
struct doctest::StringMaker<std::vector<shapelog::Offset>> {
  static String convert(const std::vector<shapelog::Offset>& offsets) {
    return fmt::format("[{}]", fmt::join(offsets, ", ")).c_str();
  }
};
