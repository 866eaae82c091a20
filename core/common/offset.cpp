#include "shapelog/offset.h"

#include <charconv>

namespace shapelog {

std::string Offset::to_string() const {
  if (before_all_) return "-1";
  return fmt::format("{}_{}", tx_, op_);
}

namespace {

std::optional<uint64_t> parse_u64(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Offset> parse_offset(std::string_view text) {
  if (text == "-1") return Offset::before_all();
  auto underscore = text.find('_');
  if (underscore == std::string_view::npos) {
    auto tx = parse_u64(text);
    if (!tx) return std::nullopt;
    return Offset(*tx, 0);
  }
  auto tx = parse_u64(text.substr(0, underscore));
  auto op = parse_u64(text.substr(underscore + 1));
  if (!tx || !op) return std::nullopt;
  return Offset(*tx, *op);
}

}  // namespace shapelog
