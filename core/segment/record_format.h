// The on-disk format of a shapelog log directory, described once. The segment writer, the
// segment scanner, the index and `check` all include this header.
//
//   log-dir     := "SHAPELOG" segment* ["index"] ["buffer"] ["lock"] cut-file*
//   "SHAPELOG"  := "shapelog-log/1\n"                    format and version; nothing else
//   segment     := NNNNNNNNNNNNNNNNNNNN ".seg"          20-digit sequence number from 1,
//                  record* [torn-tail]                   no gaps; only the last may grow
//   record      := header payload
//   header      := header_crc:u32 payload_crc:u32 length:u32 kind:u8 zero:u8[3]
//                  tx:u64 op:u64                         32 bytes, little-endian
//   payload     := byte{length}                          the value's bytes, exactly
//   kind        := 0 (string) | 1 (JSON)
//   payload_crc := low 32 bits of XXH3_64(payload)
//   header_crc  := low 32 bits of XXH3_64(header bytes 4..31)  (so it covers payload_crc)
//
// Offsets strictly increase from record to record and from one segment to the next.
//
// A torn tail is what a crash in the middle of an append leaves at the end of the LAST
// segment, and it is read as a clean end of the log (the writer truncates it on open):
//   - fewer than 32 bytes left (a partial header),
//   - a valid header whose payload runs past the end of the file (also when its length is
//     above kMaxPayloadSize: no record can follow such a header),
//   - a valid header whose payload checksum fails and whose payload ends exactly at the end
//     of the file (the last record was only partly written),
//   - nothing but zero bytes up to the end of the file (a preallocated or zero-filled tail).
// Anything else that fails to decode, and any of the above in a segment that is not the
// last, is damage: it is reported with segment, byte position and reason and never
// returned as data.
//
//   "index"     := index_magic index_entry*              sparse offset index (derived data:
//   index_magic := "SLIDX001"                             rebuilt from segments when missing
//   index_entry := tx:u64 op:u64 ordinal:u64 position:u64  or stale)
//                  segment:u32 crc:u32                   40 bytes, little-endian
//   crc         := low 32 bits of XXH3_64(entry bytes 0..35)
// An index entry names the first record of each segment and then one record about every
// DiskLogOptions::index_interval_bytes (4 KiB unless set) of segment data; `ordinal` counts the
// log's entries from 0. Entry 0 names the first record of the first segment. Readers check an entry
// against the records before they follow it (index_check.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shapelog::format {

inline constexpr std::string_view kHeaderFileName = "SHAPELOG";
inline constexpr std::string_view kHeaderContents = "shapelog-log/1\n";
inline constexpr std::string_view kSegmentSuffix = ".seg";
inline constexpr size_t kSegmentNameDigits = 20;
inline constexpr std::string_view kIndexFileName = "index";
inline constexpr std::string_view kBufferFileName = "buffer";
inline constexpr std::string_view kLockFileName = "lock";
inline constexpr std::string_view kCutFilePrefix = "cut-";

inline constexpr size_t kRecordHeaderSize = 32;
inline constexpr uint32_t kMaxPayloadSize = 64u << 20;  // 64 MiB
inline constexpr uint8_t kKindString = 0;
inline constexpr uint8_t kKindJson = 1;

inline constexpr std::string_view kIndexMagic = "SLIDX001";
inline constexpr size_t kIndexEntrySize = 40;

}  // namespace shapelog::format
