// libFuzzer target: offset parsing. parse_offset must accept exactly the documented syntax
// ("-1", "N", "TX_OP" with unsigned 64-bit decimals) and to_string must round-trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  shapelog::fuzz::run_or_abort([&] { shapelog::fuzz::offset_one_input(input); });
  return 0;
}
