#include "segment/record_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

// xxHash's own header-only mode: XXH3 inlined here is about twice as fast on records of
// ~100 bytes as the call into the shared library, and the header's fixed 28 bytes fold into
// constants. The same algorithm, so the checksums are those of libxxhash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "segment/record_format.h"

namespace shapelog {

static_assert(std::endian::native == std::endian::little,
              "shapelog's byte order helpers assume a little-endian machine");

namespace {
inline uint32_t xxh3_low32(const void* data, size_t size) {
  return static_cast<uint32_t>(XXH3_64bits(data, size));
}
}  // namespace

uint32_t checksum32(std::span<const std::byte> bytes) {
  return xxh3_low32(bytes.data(), bytes.size());
}

void put_u32(std::string& out, uint32_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_u64(std::string& out, uint64_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void encode_record(const EntryView& entry, std::byte* out) {
  // The fields in place, then the header's checksum over them.
  const uint32_t fields32[] = {0, xxh3_low32(entry.bytes.data(), entry.bytes.size()),
                               static_cast<uint32_t>(entry.bytes.size()),
                               static_cast<uint32_t>(entry.kind)};  // then three zero bytes
  const uint64_t fields64[] = {entry.offset.tx(), entry.offset.op()};
  std::memcpy(out, fields32, sizeof fields32);
  std::memcpy(out + sizeof fields32, fields64, sizeof fields64);
  const uint32_t header_crc = xxh3_low32(out + 4, format::kRecordHeaderSize - 4);
  std::memcpy(out, &header_crc, sizeof header_crc);
  if (!entry.bytes.empty())  // an empty view's data() may be null, which memcpy must not see
    std::memcpy(out + format::kRecordHeaderSize, entry.bytes.data(), entry.bytes.size());
}

void encode_record(const EntryView& entry, std::string& out) {
  const size_t start = out.size();
  out.resize(start + encoded_size(entry));
  encode_record(entry, reinterpret_cast<std::byte*>(out.data() + start));
}

namespace {

inline HeaderCheck check_header(const std::byte* p, const RecordHeader& header) {
  if (xxh3_low32(p + 4, format::kRecordHeaderSize - 4) != header.header_crc) {
    // Only a header that fails its checksum can be the zeros of a preallocated tail.
    const bool all_zero = std::all_of(p, p + format::kRecordHeaderSize,
                                      [](std::byte b) { return b == std::byte{0}; });
    return all_zero ? HeaderCheck::AllZero : HeaderCheck::BadChecksum;
  }
  // The kind byte and the three zero bytes after it, as one little-endian word.
  if (get_u32(p + 12) > format::kKindJson || header.length > format::kMaxPayloadSize)
    return HeaderCheck::BadField;
  return HeaderCheck::Ok;
}

}  // namespace

RecordHeader decode_record_header(std::span<const std::byte, 32> bytes, HeaderCheck& check) {
  const RecordHeader header = read_record_header(bytes.data());
  check = check_header(bytes.data(), header);
  return header;
}

bool intact_record(const std::byte* at, size_t available, RecordHeader& header) {
  if (available < format::kRecordHeaderSize) return false;
  header = read_record_header(at);
  return check_header(at, header) == HeaderCheck::Ok &&
         available - format::kRecordHeaderSize >= header.length &&
         xxh3_low32(at + format::kRecordHeaderSize, header.length) == header.payload_crc;
}

}  // namespace shapelog
