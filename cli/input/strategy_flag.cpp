#include "input/strategy_flag.h"

#include <fmt/format.h>

#include "common/utf8.h"
#include "shapelog/error.h"

namespace shapelog::cli {

namespace {

// "naive, recheck, fallback or generation", or with allow_all "..., generation, or all".
std::string strategy_choices(bool allow_all) {
  std::string choices;
  for (ReadStrategy strategy : kAllStrategies) {
    if (!choices.empty())
      choices += strategy == kAllStrategies.back() && !allow_all ? " or " : ", ";
    choices += strategy_name(strategy);
  }
  return allow_all ? choices + ", or all" : choices;
}

}  // namespace

std::vector<ReadStrategy> strategies_from_flag(const std::string& text, bool allow_all) {
  if (allow_all && text == "all") return {kAllStrategies.begin(), kAllStrategies.end()};
  if (auto strategy = parse_strategy(text)) return {*strategy};
  throw_bad_input(fmt::format("--strategy '{}' is unknown; use {}", printable_excerpt(text, 80),
                              strategy_choices(allow_all)));
}

void add_strategy_option(CLI::App& command, std::string& text, bool allow_all) {
  text = strategy_name(kDefaultStrategy);
  command.add_option("--strategy", text, "Read strategy: " + strategy_choices(allow_all))
      ->capture_default_str();
}

}  // namespace shapelog::cli
