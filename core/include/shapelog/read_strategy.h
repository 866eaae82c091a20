// The four read strategies of the trace format. Each is a real code path in LogReader.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace shapelog {

enum class ReadStrategy : uint8_t {
  Naive,       // trusts the snapshot to the end: has the seed's race
  Recheck,     // buffer-only reads re-read last_persisted first (option A)
  Fallback,    // a buffer copy that ends short of the upper bound falls back to disk (upstream)
  Generation,  // a generation change during the copy falls back to disk (option B, seqlock)
};

inline constexpr std::array<ReadStrategy, 4> kAllStrategies = {
    ReadStrategy::Naive, ReadStrategy::Recheck, ReadStrategy::Fallback, ReadStrategy::Generation};

// The strategy a command uses when none is named: the one that never loses an entry.
inline constexpr ReadStrategy kDefaultStrategy = ReadStrategy::Generation;

constexpr std::string_view strategy_name(ReadStrategy strategy) {
  constexpr std::array<std::string_view, 4> names = {"naive", "recheck", "fallback", "generation"};
  return names[static_cast<size_t>(strategy)];
}

constexpr std::optional<ReadStrategy> parse_strategy(std::string_view name) {
  for (ReadStrategy strategy : kAllStrategies)
    if (strategy_name(strategy) == name) return strategy;
  return std::nullopt;
}

}  // namespace shapelog

template <>
struct fmt::formatter<shapelog::ReadStrategy> : fmt::formatter<std::string_view> {
  auto format(shapelog::ReadStrategy strategy, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(shapelog::strategy_name(strategy), ctx);
  }
};
