// libFuzzer target: the record reader. The input becomes the segment file(s) of a log in a
// MemoryFileSystem; SegmentScanner, DiskLogReader and check_log must never crash, never
// return a record that is not exactly a valid encoding of the bytes it came from, and agree
// with each other.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  shapelog::fuzz::run_or_abort([&] { shapelog::fuzz::record_reader_one_input(input); });
  return 0;
}
