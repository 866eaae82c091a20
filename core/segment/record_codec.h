// Encoding and decoding of single records (see record_format.h for the layout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "segment/record_format.h"
#include "shapelog/entry.h"

namespace shapelog {

// Low 32 bits of XXH3_64, the checksum of every record and index entry.
uint32_t checksum32(std::span<const std::byte> bytes);

// Bytes of the encoded record for entry.
inline size_t encoded_size(const EntryView& entry) {
  return format::kRecordHeaderSize + entry.bytes.size();
}
// Encodes the record for entry into encoded_size(entry) bytes at out.
void encode_record(const EntryView& entry, std::byte* out);
// Appends the encoded record for entry to out.
void encode_record(const EntryView& entry, std::string& out);

struct RecordHeader {
  uint32_t header_crc;
  uint32_t payload_crc;
  uint32_t length;
  uint8_t kind;
  Offset offset;
};

enum class HeaderCheck { Ok, AllZero, BadChecksum, BadField };

// Decodes the 32 header bytes; `check` says whether they can be trusted.
RecordHeader decode_record_header(std::span<const std::byte, 32> bytes, HeaderCheck& check);

// True if all of the record at `at` (header and payload) lies within the `available` bytes
// and it is intact: both checksums match and every field is valid; header is then its
// header. False for anything else, which the caller classifies with decode_record_header.
bool intact_record(const std::byte* at, size_t available, RecordHeader& header);

inline std::span<const std::byte> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

// Little-endian field access; shapelog's files are little-endian on every machine.
void put_u32(std::string& out, uint32_t value);
void put_u64(std::string& out, uint64_t value);
inline uint32_t get_u32(const std::byte* at) {
  uint32_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}
inline uint64_t get_u64(const std::byte* at) {
  uint64_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

// The header fields at `at`, unchecked.
inline RecordHeader read_record_header(const std::byte* at) {
  return RecordHeader{get_u32(at), get_u32(at + 4), get_u32(at + 8), static_cast<uint8_t>(at[12]),
                      Offset(get_u64(at + 16), get_u64(at + 24))};
}

// For a record already known to be intact (read_ahead.h's thread checked it): true if all of
// it lies within the `available` bytes; header is then its header. Inline and without
// checksums: this is all a long read does per record once the thread has checked it.
inline bool checked_record(const std::byte* at, size_t available, RecordHeader& header) {
  if (available < format::kRecordHeaderSize) return false;
  header = read_record_header(at);
  return available - format::kRecordHeaderSize >= header.length;
}

}  // namespace shapelog
