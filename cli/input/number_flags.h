// Whole-number flags: plain decimal digits within range, nothing else. CLI11 2.1.2 on its own
// accepts "-1" for an unsigned option (wrapping it), saturates on overflow, and reads "010"
// as octal and "0x10" as hex.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace shapelog::cli {

// The value of text if it is plain decimal digits (no sign, no leading zero, no spaces) and
// at most max.
std::optional<uint64_t> parse_whole_number(std::string_view text,
                                           uint64_t max = std::numeric_limits<uint64_t>::max());

// A CLI11 validator for parse_whole_number, also refusing values below min; its message
// names the bad text and the range (CLI11 puts the flag's name in front).
CLI::Validator whole_number(uint64_t max, uint64_t min = 0);

// A CLI11 validator for a duration in seconds: a finite number, 0 or more (not NaN).
CLI::Validator seconds_number();

// The largest millisecond count a std::chrono::milliseconds holds: the limit of the
// millisecond flags.
inline constexpr uint64_t kMaxMilliseconds = std::chrono::milliseconds::max().count();

namespace detail {
template <typename T>
struct NumberType {
  using type = T;
};
template <typename T>
struct NumberType<std::optional<T>> {
  using type = T;
};
}  // namespace detail

// Adds a whole-number option (an unsigned integer, or std::optional of one) that accepts only
// what parse_whole_number accepts, from min up to max (default: the largest value of its type).
template <typename T>
CLI::Option* add_number_option(
    CLI::App& command, const std::string& name, T& variable, const std::string& description,
    uint64_t max = std::numeric_limits<typename detail::NumberType<T>::type>::max(),
    uint64_t min = 0) {
  static_assert(std::is_unsigned_v<typename detail::NumberType<T>::type>);
  return command.add_option(name, variable, description)->check(whole_number(max, min));
}

}  // namespace shapelog::cli
