// Writes seed inputs for fuzz_record_reader (the input format of split_record_input in
// fuzz_entry_points.h): valid segments written by DiskLogWriter, with a torn and a
// zero-filled tail, over one and two segments. Usage: fuzz_make_seeds OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "segment/disk_log_writer.h"
#include "segment/log_directory.h"
#include "segment/record_format.h"
#include "shapelog/memory_file_system.h"

using namespace shapelog;

namespace {

// The segments of a log holding `count` entries of varied values.
std::vector<std::string> make_log(int count, uint64_t segment_bytes) {
  MemoryFileSystem fs;
  create_log_directory(fs, "log");
  DiskLogOptions options;
  options.segment_bytes = segment_bytes;
  {
    DiskLogWriter writer(fs, "log", options);
    for (int i = 1; i <= count; ++i) {
      bool json = i % 2 == 0;
      writer.append(
          Entry{Offset(i, i % 3), json ? ValueKind::Json : ValueKind::String,
                json ? "{\"k\":" + std::to_string(i) + "}" : "value " + std::string(i, 'x')});
    }
    writer.sync();
  }
  std::vector<std::string> segments;
  for (const SegmentFile& s : list_segments(fs, "log"))
    segments.push_back(fs.read_all(join_path("log", s.name)));
  return segments;
}

std::string input(uint8_t shape, const std::vector<std::string>& segments) {
  std::string out(1, static_cast<char>(shape | (segments.size() - 1)));
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    out.push_back(static_cast<char>(segments[i].size() & 0xff));
    out.push_back(static_cast<char>(segments[i].size() >> 8));
  }
  for (const std::string& s : segments) out += s;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  auto save = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  };
  std::vector<std::string> one = make_log(4, kDefaultSegmentBytes);
  save("one-segment", input(0, one));
  save("one-segment-recover", input(4, one));
  std::string torn = one[0].substr(0, one[0].size() - 5);
  save("torn-tail-recover", input(4, {torn}));
  save("zero-tail", input(0, {one[0] + std::string(40, '\0')}));
  std::vector<std::string> two = make_log(6, 100);
  if (two.size() >= 3) two.resize(3);
  save("multi-segments", input(0, two));
  save("multi-segments-recover", input(4, two));
  save("empty", std::string(1, '\0'));
  std::printf("wrote 7 seeds to %s (%zu segments in the multi-segment seeds)\n", argv[1],
              two.size());
  return 0;
}
