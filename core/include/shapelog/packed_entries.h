// One transaction's values in one buffer, as they came (stdin lines, NUL-separated records):
// for a transaction of millions of small entries, which as a vector<Entry> cost 56 bytes
// each and an allocation per value above 15 bytes. Here an entry costs 9 bytes besides its
// value. Entry i has offset (tx, i) once set_tx() has named the transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shapelog/entry.h"

namespace shapelog {

class PackedEntries {
 public:
  // Splits text at each separator; a final separator does not start a value.
  PackedEntries(std::string text, char separator) : text_(std::move(text)) {
    size_t start = 0;
    while (start < text_.size()) {
      size_t end = text_.find(separator, start);
      if (end == std::string::npos) end = text_.size();
      ends_.push_back(end);
      start = end + 1;
    }
    kinds_.assign(ends_.size(), ValueKind::String);
  }

  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view bytes(size_t i) const {
    const size_t start = i == 0 ? 0 : ends_[i - 1] + 1;
    return std::string_view(text_).substr(start, ends_[i] - start);
  }
  void set_kind(size_t i, ValueKind kind) { kinds_[i] = kind; }
  void set_tx(uint64_t tx) { tx_ = tx; }
  EntryView operator[](size_t i) const { return EntryView(Offset(tx_, i), kinds_[i], bytes(i)); }

 private:
  std::string text_;
  std::vector<uint64_t> ends_;  // where each value ends in text_ (its separator, or the end)
  std::vector<ValueKind> kinds_;
  uint64_t tx_ = 0;
};

// Entry i of a transaction, whichever way it is held.
inline EntryView entry_at(const std::vector<Entry>& entries, size_t i) { return entries[i]; }
inline EntryView entry_at(const PackedEntries& entries, size_t i) { return entries[i]; }

}  // namespace shapelog
