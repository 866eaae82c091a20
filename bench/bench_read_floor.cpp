// The floors under a full `read --format raw` of a log's segments (issue 17 asks for 0.8x of
// `cat`): each pass does part of what the read must do, over the same files in the page cache,
// in this process, the passes taking turns. What a pass costs is the least the read can spend
// on that part; with the read's threads (two: the scan and the read-ahead thread), the least it
// can take is about half the sum of the parts, if it splits them perfectly.
//   cat            read() of every segment into a 128 KiB buffer, write() to /dev/null
//   map            mmap each segment, one load per 4 KiB page (the page faults), munmap
//   frame          map, then walk the record headers (the dependent chain of lengths)
//   check          map, then intact_record on every record (both checksums), one thread
//   check x2       the same, the segments' bytes split between two threads at a segment edge
//   copy           map, walk, copy each payload and a newline into a 1 MiB buffer written to
//                  /dev/null (what the output costs without the checks)
//   check+copy     both, one thread: the whole read's work done by one thread
//   check+copy x2  both, the halves on two threads, each writing its own output (out of
//                  order: the least a read that also formats on two threads could take)
//
//   bench_read_floor LOG_DIR [ROUNDS]   (default 7; build the log as bench/run.sh section 5 does)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <thread>

#include "bench_common.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"

using namespace shapelog;

namespace {

struct Segment {
  int fd = -1;
  size_t size = 0;
};

// A whole segment mapped for one pass, unmapped after it (each pass takes its page faults).
class Mapped {
 public:
  explicit Mapped(const Segment& segment) : size_(segment.size) {
    void* at = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, segment.fd, 0);
    if (at == MAP_FAILED) throw std::runtime_error("cannot map a segment");
    bytes_ = static_cast<const std::byte*>(at);
  }
  ~Mapped() { ::munmap(const_cast<std::byte*>(bytes_), size_); }
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;
  const std::byte* bytes() const { return bytes_; }
  size_t size() const { return size_; }

 private:
  const std::byte* bytes_ = nullptr;
  size_t size_;
};

// Output the way the CLI's Output buffers it: payload and newline into 1 MiB, then write().
class Sink {
 public:
  explicit Sink(int fd) : fd_(fd), buffer_(1 << 20) {}
  ~Sink() { flush(); }
  void add(const std::byte* bytes, size_t size) {
    if (used_ + size + 1 > buffer_.size()) flush();
    std::memcpy(buffer_.data() + used_, bytes, size);
    used_ += size;
    buffer_[used_++] = '\n';
  }
  void flush() {
    if (used_ > 0 && ::write(fd_, buffer_.data(), used_) < 0)
      throw std::runtime_error("write to /dev/null failed");
    used_ = 0;
  }

 private:
  int fd_;
  std::vector<char> buffer_;
  size_t used_ = 0;
};

// Calls visit(record, header) for every record of the mapped bytes; with `check`, each must be
// intact (else the pass throws: the floor is of a read that verifies).
template <class Visit>
void walk(const Mapped& mapped, bool check, Visit&& visit) {
  size_t pos = 0;
  while (pos + format::kRecordHeaderSize <= mapped.size()) {
    const std::byte* at = mapped.bytes() + pos;
    RecordHeader header;
    if (check ? !intact_record(at, mapped.size() - pos, header)
              : !checked_record(at, mapped.size() - pos, header))
      throw std::runtime_error(fmt::format("no intact record at byte {} of a segment", pos));
    visit(at, header);
    pos += format::kRecordHeaderSize + header.length;
  }
}

// What the passes that only load add their loads to, so that the compiler keeps the loads.
volatile uint64_t g_sink = 0;

void check_segments(const std::vector<Segment>& segments, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    Mapped mapped(segments[i]);
    walk(mapped, true, [](const std::byte*, const RecordHeader&) {});
  }
}

// Checks every record of segments [from, to) and writes each payload and a newline to fd.
void check_and_copy(const std::vector<Segment>& segments, size_t from, size_t to, int fd) {
  Sink sink(fd);
  for (size_t i = from; i < to; ++i) {
    Mapped mapped(segments[i]);
    walk(mapped, true, [&](const std::byte* at, const RecordHeader& header) {
      sink.add(at + format::kRecordHeaderSize, header.length);
    });
  }
}

int run(int argc, char** argv) {
  if (argc < 2 || argc > 3) throw std::invalid_argument("give a log directory");
  const std::string dir = argv[1];
  const size_t rounds = argc > 2 ? bench::count_arg(argv[2], "ROUNDS") : 7;
  std::vector<std::string> paths;
  for (const auto& file : std::filesystem::directory_iterator(dir))
    if (file.path().extension() == ".seg") paths.push_back(file.path());
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) throw std::invalid_argument(fmt::format("no segments in '{}'", dir));
  std::vector<Segment> segments;
  size_t total = 0;
  for (const std::string& path : paths) {
    Segment segment{::open(path.c_str(), O_RDONLY), 0};
    struct stat st {};
    if (segment.fd < 0 || ::fstat(segment.fd, &st) != 0)
      throw std::runtime_error("cannot open " + path);
    segment.size = static_cast<size_t>(st.st_size);
    total += segment.size;
    segments.push_back(segment);
  }
  const int null = ::open("/dev/null", O_WRONLY);
  if (null < 0) throw std::runtime_error("cannot open /dev/null");

  // The two threads' halves: the segment edge nearest the middle of the bytes.
  size_t split = 1, before = segments[0].size;
  auto off_middle = [&](size_t bytes) {
    return bytes > total / 2 ? bytes - total / 2 : total / 2 - bytes;
  };
  while (split + 1 < segments.size() &&
         off_middle(before + segments[split].size) < off_middle(before))
    before += segments[split++].size;

  const std::vector<std::pair<std::string, std::function<void()>>> passes = {
      {"cat",
       [&] {
         std::vector<char> buffer(128 << 10);
         for (const Segment& segment : segments)
           for (off_t pos = 0;;) {
             const ssize_t got = ::pread(segment.fd, buffer.data(), buffer.size(), pos);
             if (got <= 0) break;
             if (::write(null, buffer.data(), static_cast<size_t>(got)) < 0)
               throw std::runtime_error("write to /dev/null failed");
             pos += got;
           }
       }},
      {"map",
       [&] {
         for (const Segment& segment : segments) {
           Mapped mapped(segment);
           for (size_t pos = 0; pos < mapped.size(); pos += 4096)
             g_sink = g_sink + static_cast<uint8_t>(mapped.bytes()[pos]);
         }
       }},
      {"frame",
       [&] {
         for (const Segment& segment : segments) {
           Mapped mapped(segment);
           walk(mapped, false, [](const std::byte*, const RecordHeader& header) {
             g_sink = g_sink + header.length;
           });
         }
       }},
      {"check", [&] { check_segments(segments, 0, segments.size()); }},
      {"check x2",
       [&] {
         std::thread other([&] { check_segments(segments, split, segments.size()); });
         check_segments(segments, 0, split);
         other.join();
       }},
      {"copy",
       [&] {
         Sink sink(null);
         for (const Segment& segment : segments) {
           Mapped mapped(segment);
           walk(mapped, false, [&](const std::byte* at, const RecordHeader& header) {
             sink.add(at + format::kRecordHeaderSize, header.length);
           });
         }
       }},
      {"check+copy", [&] { check_and_copy(segments, 0, segments.size(), null); }},
      {"check+copy x2",
       [&] {
         std::thread other([&] { check_and_copy(segments, split, segments.size(), null); });
         check_and_copy(segments, 0, split, null);
         other.join();
       }},
  };
  std::map<std::string, std::vector<double>> times;
  for (size_t round = 0; round < rounds; ++round)
    for (const auto& [name, pass] : passes) times[name].push_back(bench::time_seconds(pass) * 1e3);

  fmt::print("bench_read_floor: {} segments, {:.1f} MB, {} rounds (medians; min-max)\n",
             segments.size(), static_cast<double>(total) / 1e6, rounds);
  const double cat = bench::median(times["cat"]);
  bench::Table table({"pass", "ms", "min-max", "cat / pass"});
  for (const auto& [name, pass] : passes) {
    std::vector<double>& t = times[name];
    const double median = bench::median(t);
    table.row({name, fmt::format("{:.1f}", median),
               fmt::format("{:.1f}-{:.1f}", *std::min_element(t.begin(), t.end()),
                           *std::max_element(t.begin(), t.end())),
               fmt::format("{:.2f}", cat / median)});
    std::string key = name;
    std::replace(key.begin(), key.end(), ' ', '_');
    std::replace(key.begin(), key.end(), '+', '_');
    bench::result("floor." + key + "_ms", median);
  }
  table.print();
  fmt::print("0.8x of cat is {:.1f} ms\n", cat / 0.8);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::guarded_main(argc, argv, run, "bench_read_floor LOG_DIR [ROUNDS]");
}
