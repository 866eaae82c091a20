// A log entry: its offset and its value. A value is kept as the exact bytes that were
// appended, tagged with how to show them: JSON values are printed as JSON, strings as JSON
// strings. Two values are equal when kind and bytes are equal.
#pragma once

#include <cstdint>
#include <string>

#include "common/offset.h"

namespace shapelog {

enum class ValueKind : uint8_t { String = 0, Json = 1 };

struct Entry {
  Offset offset;
  ValueKind kind = ValueKind::String;
  std::string bytes;

  bool operator==(const Entry&) const = default;
};

}  // namespace shapelog
