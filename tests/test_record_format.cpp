// Records (record_format.h): encoding, decoding through the segment scanner, and the two
// checksums.
#include <array>
#include <cstring>

#include <doctest/doctest.h>

#include "log_test_support.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "segment/segment_scanner.h"
#include "shapelog/memory_file_system.h"

using namespace shapelog;
using namespace shapelog::logtest;

namespace {

std::string encoded(const Entry& e) {
  std::string out;
  encode_record(e, out);
  return out;
}

RecordHeader header_of(const std::string& record, HeaderCheck& check) {
  REQUIRE(record.size() >= format::kRecordHeaderSize);
  return decode_record_header(
      std::span<const std::byte, 32>(reinterpret_cast<const std::byte*>(record.data()), 32), check);
}

HeaderCheck check_of(const std::string& record) {
  HeaderCheck check;
  header_of(record, check);
  return check;
}

// Sets the header checksum of an encoded record again after a field was changed on purpose.
void reseal_header(std::string& record) {
  uint32_t crc = checksum32(as_bytes(std::string_view(record).substr(4, 28)));
  std::memcpy(record.data(), &crc, 4);
}

// Decodes `bytes` as one segment file with the segment scanner, the only record decoder.
struct Scan {
  std::vector<Entry> entries;
  SegmentScanner::Step end_step = SegmentScanner::Step::End;
  Damage damage;
};

Scan scan_bytes(const std::string& bytes, bool is_last) {
  MemoryFileSystem fs;
  fs.create_directories("/d");
  fs.write_file("/d/seg", as_bytes(bytes));
  auto file = fs.open_read("/d/seg");
  SegmentScanner scanner(*file, "seg", 0, file->size(), is_last);
  Scan scan;
  for (;;) {
    SegmentScanner::Step step = scanner.next();
    if (step != SegmentScanner::Step::Record) {
      scan.end_step = step;
      if (step != SegmentScanner::Step::End) scan.damage = scanner.damage();
      return scan;
    }
    scan.entries.push_back(scanner.entry().owned());
  }
}

}  // namespace

TEST_CASE("record format: encode then decode gives the entry back") {
  Entry e;
  SUBCASE("a string value") { e = entry(7, 3, "hello"); }
  SUBCASE("a JSON value") { e = json_entry(12, 0, R"({"a":[1,2,{"b":null}]})"); }
  SUBCASE("an empty value") { e = entry(1, 0, ""); }
  SUBCASE("an empty JSON value") { e = json_entry(1, 1, ""); }
  SUBCASE("a large value (1 MiB, bigger than the scanner's window)") {
    std::string big(1 << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
    e = entry(UINT64_MAX, UINT64_MAX, big);
  }
  SUBCASE("binary bytes with zeros") { e = entry(2, 0, std::string("\0\x01\xff\0", 4)); }

  const std::string record = encoded(e);
  REQUIRE(record.size() == format::kRecordHeaderSize + e.bytes.size());
  HeaderCheck check;
  const RecordHeader header = header_of(record, check);
  CHECK(check == HeaderCheck::Ok);
  CHECK(header.length == e.bytes.size());
  CHECK(header.kind == static_cast<uint8_t>(e.kind));
  CHECK(header.offset == e.offset);
  CHECK(header.payload_crc == checksum32(as_bytes(e.bytes)));
  CHECK(record.substr(format::kRecordHeaderSize) == e.bytes);

  const Scan scan = scan_bytes(record, true);
  CHECK(scan.end_step == SegmentScanner::Step::End);
  REQUIRE(scan.entries.size() == 1);
  CHECK(scan.entries[0] == e);
}

TEST_CASE("record format: the header layout is little-endian and 32 bytes") {
  const std::string record = encoded(entry(0x0102030405060708, 0x1112131415161718, "ab"));
  const auto* p = reinterpret_cast<const std::byte*>(record.data());
  CHECK(get_u32(p + 8) == 2);                      // length
  CHECK(p[12] == std::byte{format::kKindString});  // kind
  CHECK(p[13] == std::byte{0});
  CHECK(p[14] == std::byte{0});
  CHECK(p[15] == std::byte{0});
  CHECK(p[16] == std::byte{0x08});  // tx, least significant byte first
  CHECK(get_u64(p + 16) == 0x0102030405060708);
  CHECK(get_u64(p + 24) == 0x1112131415161718);
  CHECK(get_u32(p) == checksum32({p + 4, 28}));
}

TEST_CASE("record format: several records decode in order") {
  std::string bytes;
  std::vector<Entry> entries = {entry(1, 0, ""), json_entry(1, 1, "[1]"), entry(2, 0, "two")};
  for (const Entry& e : entries) encode_record(e, bytes);
  const Scan scan = scan_bytes(bytes, false);
  CHECK(scan.end_step == SegmentScanner::Step::End);
  CHECK(scan.entries == entries);
}

TEST_CASE("record format: the header checksum detects every flipped header bit") {
  const std::string record = encoded(json_entry(5, 2, R"({"k":"v"})"));
  for (size_t byte = 0; byte < format::kRecordHeaderSize; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = record;
      damaged[byte] = static_cast<char>(damaged[byte] ^ (1 << bit));
      CAPTURE(byte);
      CAPTURE(bit);
      CHECK(check_of(damaged) == HeaderCheck::BadChecksum);
    }
  }
}

TEST_CASE("record format: the payload checksum detects every flipped payload bit") {
  const Entry e = entry(9, 0, "payload bytes");
  const std::string record = encoded(e);
  for (size_t byte = format::kRecordHeaderSize; byte < record.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = record;
      damaged[byte] = static_cast<char>(damaged[byte] ^ (1 << bit));
      CAPTURE(byte);
      CAPTURE(bit);
      HeaderCheck check;
      const RecordHeader header = header_of(damaged, check);
      REQUIRE(check == HeaderCheck::Ok);  // the header does not cover the payload's bytes
      CHECK(checksum32(as_bytes(std::string_view(damaged).substr(32))) != header.payload_crc);
      // Followed by another record, the damage is never returned as data.
      const Scan scan = scan_bytes(damaged + encoded(entry(10, 0)), true);
      CHECK(scan.entries.empty());
      CHECK(scan.end_step == SegmentScanner::Step::Damaged);
      CHECK(scan.damage.position == 0);
      CHECK(scan.damage.reason == "record payload checksum mismatch");
    }
  }
}

TEST_CASE("record format: a payload mismatch at the end of the last segment is a torn tail") {
  std::string record = encoded(entry(3, 0, "abcdef"));
  record.back() = static_cast<char>(record.back() ^ 0x20);
  const std::string good = encoded(entry(2, 0, "ok"));
  SUBCASE("last segment: torn tail") {
    const Scan scan = scan_bytes(good + record, true);
    CHECK(scan.entries == std::vector<Entry>{entry(2, 0, "ok")});
    CHECK(scan.end_step == SegmentScanner::Step::TornTail);
    CHECK(scan.damage.position == good.size());
    CHECK(scan.damage.torn_tail);
  }
  SUBCASE("not the last segment: damage") {
    const Scan scan = scan_bytes(good + record, false);
    CHECK(scan.end_step == SegmentScanner::Step::Damaged);
    CHECK(scan.damage.position == good.size());
    CHECK_FALSE(scan.damage.torn_tail);
  }
}

TEST_CASE("record format: bad fields under a valid header checksum are rejected") {
  std::string record = encoded(entry(4, 0, "x"));
  SUBCASE("unknown kind") { record[12] = 2; }
  SUBCASE("non-zero padding") { record[14] = 1; }
  SUBCASE("length above the limit, within the file") {
    const uint32_t length = format::kMaxPayloadSize + 1;
    std::memcpy(record.data() + 8, &length, 4);
    record.resize(format::kRecordHeaderSize + length, 'y');
  }
  reseal_header(record);
  CHECK(check_of(record) == HeaderCheck::BadField);
  CHECK(scan_bytes(record, true).end_step == SegmentScanner::Step::Damaged);
}

TEST_CASE("record format: a length above the limit that runs past the end is a torn tail") {
  // No writer writes such a header, and no record can follow it: in the last segment it is
  // cut like any torn tail, instead of leaving the log unwritable. Elsewhere it is damage.
  std::string record = encoded(entry(4, 0, "x"));
  const uint32_t length = format::kMaxPayloadSize + 1;
  std::memcpy(record.data() + 8, &length, 4);
  reseal_header(record);
  const std::string log = encoded(entry(3, 0, "before")) + record;
  CHECK(scan_bytes(log, true).end_step == SegmentScanner::Step::TornTail);
  CHECK(scan_bytes(log, false).end_step == SegmentScanner::Step::Damaged);
}

TEST_CASE("record format: an all-zero header is told apart from a bad checksum") {
  CHECK(check_of(std::string(32, '\0')) == HeaderCheck::AllZero);
  std::string almost(32, '\0');
  almost[31] = 1;
  CHECK(check_of(almost) == HeaderCheck::BadChecksum);
}

TEST_CASE("record format: little-endian helpers round-trip") {
  std::string out;
  put_u32(out, 0xA1B2C3D4);
  put_u64(out, 0x0102030405060708);
  REQUIRE(out.size() == 12);
  const auto* p = reinterpret_cast<const std::byte*>(out.data());
  CHECK(p[0] == std::byte{0xD4});
  CHECK(get_u32(p) == 0xA1B2C3D4);
  CHECK(get_u64(p + 4) == 0x0102030405060708);
  CHECK(checksum32(as_bytes("")) == checksum32(as_bytes(std::string())));
  CHECK(checksum32(as_bytes("a")) != checksum32(as_bytes("b")));
}
