#include "log/record_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include <xxhash.h>

#include "log/record_format.h"

namespace shapelog {

static_assert(std::endian::native == std::endian::little,
              "shapelog's byte order helpers assume a little-endian machine");

uint32_t checksum32(std::span<const std::byte> bytes) {
  return static_cast<uint32_t>(XXH3_64bits(bytes.data(), bytes.size()));
}

void put_u32(std::string& out, uint32_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_u64(std::string& out, uint64_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

uint32_t get_u32(const std::byte* at) {
  uint32_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

uint64_t get_u64(const std::byte* at) {
  uint64_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

void encode_record(const Entry& entry, std::string& out) {
  size_t start = out.size();
  put_u32(out, 0);  // header_crc, filled in below
  put_u32(out, checksum32(as_bytes(entry.bytes)));
  put_u32(out, static_cast<uint32_t>(entry.bytes.size()));
  out.push_back(static_cast<char>(entry.kind));
  out.append(3, '\0');
  put_u64(out, entry.offset.tx());
  put_u64(out, entry.offset.op());
  auto header = as_bytes(std::string_view(out).substr(start + 4, format::kRecordHeaderSize - 4));
  uint32_t header_crc = checksum32(header);
  std::memcpy(out.data() + start, &header_crc, sizeof header_crc);
  out.append(entry.bytes);
}

RecordHeader decode_record_header(std::span<const std::byte, 32> bytes, HeaderCheck& check) {
  const std::byte* p = bytes.data();
  RecordHeader header{get_u32(p), get_u32(p + 4), get_u32(p + 8), static_cast<uint8_t>(p[12]),
                      Offset(get_u64(p + 16), get_u64(p + 24))};
  if (checksum32(bytes.subspan(4)) != header.header_crc) {
    // Only a header that fails its checksum can be the zeros of a preallocated tail.
    bool all_zero = std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
    check = all_zero ? HeaderCheck::AllZero : HeaderCheck::BadChecksum;
  } else if (header.kind > format::kKindJson || p[13] != std::byte{0} ||
             p[14] != std::byte{0} || p[15] != std::byte{0} ||
             header.length > format::kMaxPayloadSize) {
    check = HeaderCheck::BadField;
  } else {
    check = HeaderCheck::Ok;
  }
  return header;
}

}  // namespace shapelog
