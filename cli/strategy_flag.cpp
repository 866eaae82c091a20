#include "strategy_flag.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/utf8.h"

namespace shapelog::cli {

std::vector<ReadStrategy> strategies_from_flag(const std::string& text, bool allow_all) {
  if (allow_all && text == "all") return {kAllStrategies.begin(), kAllStrategies.end()};
  if (auto strategy = parse_strategy(text)) return {*strategy};
  throw_bad_input(fmt::format("--strategy '{}' is unknown; use naive, recheck, fallback{} "
                              "generation{}",
                              printable_excerpt(text, 80), allow_all ? "," : " or",
                              allow_all ? " or all" : ""));
}

}  // namespace shapelog::cli
