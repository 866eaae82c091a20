// libFuzzer target: the trace parser. Any text either parses or is rejected with
// Error(BadInput); a parsed trace is written back and must parse to an equal trace.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  shapelog::fuzz::run_or_abort([&] { shapelog::fuzz::trace_one_input(input); });
  return 0;
}
