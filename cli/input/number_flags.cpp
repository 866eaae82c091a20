#include "input/number_flags.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "common/utf8.h"

namespace shapelog::cli {

std::optional<uint64_t> parse_whole_number(std::string_view text, uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos ||
      (text.size() > 1 && text[0] == '0'))
    return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

CLI::Validator whole_number(uint64_t max, uint64_t min) {
  return CLI::Validator(
      [max, min](std::string& text) -> std::string {
        if (auto value = parse_whole_number(text, max); value && *value >= min) return {};
        return fmt::format(
            "'{}' is not a whole number from {} to {}; give plain decimal digits "
            "(no sign, leading zero, or 0x)",
            printable_excerpt(text, 80), min, max);
      },
      "");
}

CLI::Validator seconds_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double seconds = 0;  // parsed as CLI11 will parse it for the option
        if (CLI::detail::lexical_cast(text, seconds) && std::isfinite(seconds) && seconds >= 0)
          return {};
        return fmt::format("'{}' is not a number of seconds; give 0 or more (e.g. 2.5)",
                           printable_excerpt(text, 80));
      },
      "");
}

}  // namespace shapelog::cli
