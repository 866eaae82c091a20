#include "store.h"

#include "../bench_common.h"

namespace peers {

namespace {

void put_be64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t get_be64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(in[i]);
  return v;
}

}  // namespace

std::string key_of(shapelog::Offset offset) {
  std::string key;
  key.reserve(16);
  put_be64(key, offset.tx());
  put_be64(key, offset.op());
  return key;
}

shapelog::Offset offset_of_key(std::string_view key) {
  return {get_be64(key.substr(0, 8)), get_be64(key.substr(8, 8))};
}

std::vector<shapelog::Entry> batch(uint64_t first, size_t count) {
  std::vector<shapelog::Entry> entries;
  entries.reserve(count);
  for (uint64_t n = first; n < first + count; ++n)
    entries.push_back({offset_of(n), shapelog::ValueKind::String, bench::value_100(n)});
  return entries;
}

}  // namespace peers
