// A log entry: its offset and its value. A value is kept as the exact bytes that were
// appended, tagged with how to show them: JSON values are printed as JSON, strings as JSON
// strings. Two values are equal when kind and bytes are equal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "shapelog/offset.h"

namespace shapelog {

enum class ValueKind : uint8_t { String = 0, Json = 1 };

struct Entry {
  Offset offset;
  ValueKind kind = ValueKind::String;
  std::string bytes;

  bool operator==(const Entry&) const = default;
};

// The entry a trace gives without a value: its value is its own offset, as a string ("11_0").
inline Entry offset_entry(Offset offset) {
  return Entry{offset, ValueKind::String, offset.to_string()};
}

// An entry whose bytes belong to someone else (a reader's window onto a segment, or an
// Entry): valid only during the call it is passed to. Readers hand these to their sinks so
// that a full read copies each value once, into the output, and not into an Entry first.
struct EntryView {
  Offset offset;
  ValueKind kind = ValueKind::String;
  std::string_view bytes;

  EntryView() = default;
  EntryView(Offset offset, ValueKind kind, std::string_view bytes)
      : offset(offset), kind(kind), bytes(bytes) {}
  EntryView(const Entry& entry)  // NOLINT(google-explicit-constructor): views convert freely
      : offset(entry.offset), kind(entry.kind), bytes(entry.bytes) {}

  Entry owned() const { return Entry{offset, kind, std::string(bytes)}; }
};

// Receives entries in offset order; returns false to stop the read early. The view's bytes
// are valid only during the call (EntryView::owned() keeps a copy).
using EntrySink = std::function<bool(const EntryView&)>;

}  // namespace shapelog
