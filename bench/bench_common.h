// Small helpers shared by the benchmark programs: a clock, medians, scratch directories,
// 100-byte entries and a plain-text table. No benchmark framework: each program measures its
// subject and its baseline in the same run and prints both, plus their ratio.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "shapelog/entry.h"

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <class F>
double time_seconds(F&& f) {
  auto start = Clock::now();
  f();
  return seconds_since(start);
}

inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  if (n == 0) return 0;
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// A fresh directory under $BENCH_TMPDIR (default /tmp), removed when this object dies.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    const char* base = std::getenv("BENCH_TMPDIR");
    path_ = fmt::format("{}/shapelog-bench-{}-{}", base ? base : "/tmp", tag, ::getpid());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A 100-byte string value, distinct per n (not JSON: stored as a string).
inline std::string value_100(uint64_t n) {
  std::string v = fmt::format("v{:020}-", n);
  v.resize(100, 'x');
  return v;
}

// One transaction of `count` 100-byte entries at tx, ops 0..count-1.
inline std::vector<shapelog::Entry> transaction(uint64_t tx, size_t count, uint64_t first_value) {
  std::vector<shapelog::Entry> entries;
  entries.reserve(count);
  for (size_t i = 0; i < count; ++i)
    entries.push_back(
        {shapelog::Offset(tx, i), shapelog::ValueKind::String, value_100(first_value + i)});
  return entries;
}

// Prints rows of already-formatted cells, columns padded to their widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void print() const {
    std::vector<size_t> width;
    for (const auto& row : rows_)
      for (size_t i = 0; i < row.size(); ++i) {
        if (width.size() <= i) width.push_back(0);
        width[i] = std::max(width[i], row[i].size());
      }
    for (size_t r = 0; r < rows_.size(); ++r) {
      std::string line;
      for (size_t i = 0; i < rows_[r].size(); ++i)
        line += fmt::format("{:<{}}  ", rows_[r][i], width[i]);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      fmt::print("{}\n", line);
      if (r == 0) {
        size_t total = 0;
        for (size_t w : width) total += w + 2;
        fmt::print("{}\n", std::string(total - 2, '-'));
      }
    }
    std::fflush(stdout);
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

inline std::string per_s(double value) {
  if (value >= 1e6) return fmt::format("{:.2f} M/s", value / 1e6);
  if (value >= 1e3) return fmt::format("{:.1f} k/s", value / 1e3);
  return fmt::format("{:.0f} /s", value);
}

inline std::string mb_s(double bytes_per_s) {
  return fmt::format("{:.1f} MB/s", bytes_per_s / 1e6);
}

// A positive whole number given as argument `what`, or std::invalid_argument naming it.
inline size_t count_arg(const char* text, const char* what) {
  size_t used = 0;
  unsigned long value = 0;
  try {
    value = std::stoul(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || text[used] != '\0' || value == 0 || text[0] == '-')
    throw std::invalid_argument(
        fmt::format("{} must be a positive whole number, not '{}'", what, text));
  return value;
}

// What a benchmark's main() returns: body(argc, argv), or, when it throws (a bad argument, a
// setup that failed), exit status 2 after one line naming the problem and the usage. No
// benchmark ends in an abort.
inline int guarded_main(int argc, char** argv, int (*body)(int, char**), const char* usage) {
  try {
    return body(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\nusage: {}\n", argv[0], e.what(), usage);
    return 2;
  }
}

// Machine-readable result line for bench/run.sh: "RESULT name value".
inline void result(const std::string& name, double value) {
  fmt::print("RESULT {} {:.6g}\n", name, value);
  std::fflush(stdout);
}

}  // namespace bench
