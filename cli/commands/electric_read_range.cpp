#include "commands/electric_read_range.h"

#include <fmt/format.h>

#include "common/utf8.h"
#include "shapelog/error.h"

namespace shapelog::cli {

namespace {

Offset offset_flag(const char* flag, const std::string& text) {
  auto offset = parse_offset(text);
  if (!offset)
    throw_bad_input(fmt::format("{} '{}' is not an offset: {}", flag, printable_excerpt(text, 80),
                                kOffsetSyntax));
  return *offset;
}

}  // namespace

ElectricRange electric_range(const std::optional<std::string>& from,
                             const std::optional<std::string>& after,
                             const std::optional<std::string>& to) {
  ElectricRange range;
  if (from) range.start = offset_flag("--from", *from);
  if (after) {
    range.start = offset_flag("--after", *after);
    range.inclusive = false;
  }
  if (range.start && range.start->is_before_all()) range.start.reset();
  if (to) range.to = offset_flag("--to", *to);
  if (range.to && range.start && *range.to < *range.start)
    throw_bad_input(
        fmt::format("--to {} is before the start of the range ({}); give a --to at "
                    "or after it",
                    *range.to, *range.start));
  return range;
}

}  // namespace shapelog::cli
