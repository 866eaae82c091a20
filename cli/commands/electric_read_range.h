// The range flags of `shapelog electric read`, as `shapelog read` has them: --from (inclusive),
// --after (exclusive), --to (inclusive), checked before any file is opened.
#pragma once

#include <optional>
#include <string>

#include "shapelog/offset.h"

namespace shapelog::cli {

struct ElectricRange {
  std::optional<Offset> start;  // none: from the first record
  bool inclusive = true;
  std::optional<Offset> to;

  bool admits(const Offset& offset) const {
    if (start && (inclusive ? offset < *start : !(*start < offset))) return false;
    return !to || !(*to < offset);
  }
  bool past_end(const Offset& offset) const { return to && *to < offset; }
};

ElectricRange electric_range(const std::optional<std::string>& from,
                             const std::optional<std::string>& after,
                             const std::optional<std::string>& to);

}  // namespace shapelog::cli
