#include "segment/offset_index.h"

#include <array>

#include "segment/record_codec.h"
#include "segment/record_format.h"

namespace shapelog {

void encode_index_entry(const IndexEntry& entry, std::string& out) {
  size_t start = out.size();
  put_u64(out, entry.offset.tx());
  put_u64(out, entry.offset.op());
  put_u64(out, entry.ordinal);
  put_u64(out, entry.position);
  put_u32(out, static_cast<uint32_t>(entry.segment));
  put_u32(out, checksum32(as_bytes(std::string_view(out).substr(start, 36))));
}

OffsetIndexReader::OffsetIndexReader(FileSystem& fs, const std::string& dir) {
  std::string path = join_path(dir, std::string(format::kIndexFileName));
  if (!fs.exists(path)) return;
  file_ = fs.open_read(path);
  std::array<std::byte, 8> magic{};
  if (file_->read_at(0, magic) != magic.size() ||
      std::string_view(reinterpret_cast<const char*>(magic.data()), magic.size()) !=
          format::kIndexMagic) {
    file_.reset();
    bad_magic_ = true;
    return;
  }
  count_ = (file_->size() - format::kIndexMagic.size()) / format::kIndexEntrySize;
}

std::optional<IndexEntry> OffsetIndexReader::at(uint64_t i) const {
  if (!file_ || i >= count_) return std::nullopt;
  std::array<std::byte, format::kIndexEntrySize> bytes{};
  uint64_t pos = format::kIndexMagic.size() + i * format::kIndexEntrySize;
  if (file_->read_at(pos, bytes) != bytes.size()) return std::nullopt;
  const std::byte* p = bytes.data();
  if (checksum32({p, 36}) != get_u32(p + 36)) return std::nullopt;
  return IndexEntry{Offset(get_u64(p), get_u64(p + 8)), get_u64(p + 16), get_u32(p + 32),
                    get_u64(p + 24)};
}

template <class Key>
IndexLookup OffsetIndexReader::floor_by(Key key_of, decltype(key_of(IndexEntry{})) target) const {
  IndexLookup lookup;
  if (bad_magic_) lookup.unreadable = 0;
  if (!file_ || count_ == 0) return lookup;
  // Invariant: entries [0, lo) have key <= target, entries [hi, count_) have key > target
  // (if the index is sorted: a damaged one may not be, and then `found` is some entry with
  // key <= target, which is all a caller relies on).
  uint64_t lo = 0, hi = count_;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    auto entry = at(mid);
    if (!entry) return IndexLookup{std::nullopt, mid};
    if (key_of(*entry) <= target) {
      lookup.found = mid;
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lookup;
}

IndexLookup OffsetIndexReader::find_floor(Offset target) const {
  return floor_by([](const IndexEntry& e) { return e.offset; }, target);
}

IndexLookup OffsetIndexReader::find_floor_ordinal(uint64_t ordinal) const {
  return floor_by([](const IndexEntry& e) { return e.ordinal; }, ordinal);
}

IndexLookup OffsetIndexReader::find_last() const {
  IndexLookup lookup;
  if (bad_magic_) lookup.unreadable = 0;
  if (!file_ || count_ == 0) return lookup;
  if (at(count_ - 1)) lookup.found = count_ - 1;
  else lookup.unreadable = count_ - 1;
  return lookup;
}

std::optional<IndexEntry> OffsetIndexReader::entry_of(const IndexLookup& lookup) const {
  if (lookup.unreadable || !lookup.found) return std::nullopt;
  return at(*lookup.found);
}

std::optional<IndexEntry> OffsetIndexReader::floor(Offset target) const {
  return entry_of(find_floor(target));
}

std::optional<IndexEntry> OffsetIndexReader::floor_ordinal(uint64_t ordinal) const {
  return entry_of(find_floor_ordinal(ordinal));
}

std::optional<IndexEntry> OffsetIndexReader::last() const { return entry_of(find_last()); }

std::vector<IndexEntry> OffsetIndexReader::load_all(bool& damaged) const {
  std::vector<IndexEntry> entries;
  damaged = bad_magic_;
  if (!file_) return entries;
  for (uint64_t i = 0; i < count_; ++i) {
    auto entry = at(i);
    if (!entry) {
      damaged = true;
      break;
    }
    entries.push_back(*entry);
  }
  return entries;
}

}  // namespace shapelog
