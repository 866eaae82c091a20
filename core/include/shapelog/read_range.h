// A read's range: from `start` (inclusive with `from`, exclusive with `after`) up to `to`
// (inclusive; none means no upper limit). The same rules for CLI flags, traces and reads.
#pragma once

#include <optional>
#include <string>

#include <fmt/format.h>

#include "shapelog/offset.h"

namespace shapelog {

struct ReadRange {
  Offset start = Offset::before_all();
  bool inclusive = false;  // true: `from` start; false: `after` start
  std::optional<Offset> to;

  bool above_start(Offset offset) const { return inclusive ? offset >= start : offset > start; }
  bool contains(Offset offset) const { return above_start(offset) && (!to || offset <= *to); }

  bool operator==(const ReadRange&) const = default;
};

// "after 10_0", "from 3_0 to 5_0".
inline std::string describe_range(const ReadRange& range) {
  std::string text = fmt::format("{} {}", range.inclusive ? "from" : "after", range.start);
  if (range.to) text += fmt::format(" to {}", *range.to);
  return text;
}

}  // namespace shapelog
