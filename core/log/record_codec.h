// Encoding and decoding of single records (see record_format.h for the layout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/entry.h"

namespace shapelog {

// Low 32 bits of XXH3_64, the checksum of every record and index entry.
uint32_t checksum32(std::span<const std::byte> bytes);

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
uint32_t get_u32(const std::byte* at);
uint64_t get_u64(const std::byte* at);

}  // namespace shapelog
