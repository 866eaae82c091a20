// Log offsets: (tx, op) pairs ordered by tx then op, plus "before all" (text "-1") which sorts
// below every real offset. Text form "TX_OP"; a bare "N" means "N_0". Both parts are unsigned
// 64-bit decimals. These are the rules of the trace format and of every CLI flag.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace shapelog {

class Offset {
 public:
  // Default: before every entry (the last offset of an empty log).
  constexpr Offset() = default;
  constexpr Offset(uint64_t tx, uint64_t op) : tx_(tx), op_(op), before_all_(false) {}

  static constexpr Offset before_all() { return Offset(); }

  constexpr bool is_before_all() const { return before_all_; }
  constexpr uint64_t tx() const { return tx_; }
  constexpr uint64_t op() const { return op_; }

  constexpr std::strong_ordering operator<=>(const Offset& other) const {
    if (before_all_ || other.before_all_) return other.before_all_ <=> before_all_;
    if (tx_ != other.tx_) return tx_ <=> other.tx_;
    return op_ <=> other.op_;
  }
  constexpr bool operator==(const Offset& other) const { return (*this <=> other) == 0; }

  std::string to_string() const;

 private:
  uint64_t tx_ = 0;
  uint64_t op_ = 0;
  bool before_all_ = true;
};

// Parses "TX_OP", "N" or "-1". Returns nullopt for anything else, including overflow,
// signs, spaces and empty parts.
std::optional<Offset> parse_offset(std::string_view text);

// The offset syntax in one sentence, for error messages.
inline constexpr std::string_view kOffsetSyntax =
    "an offset is TX_OP (two unsigned 64-bit decimals, e.g. 11_0), a bare TX meaning TX_0, "
    "or -1 for before every entry";

}  // namespace shapelog

template <>
struct fmt::formatter<shapelog::Offset> : fmt::formatter<std::string_view> {
  auto format(const shapelog::Offset& offset, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(offset.to_string(), ctx);
  }
};
