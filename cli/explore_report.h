// Explore's results as JSON (one object per strategy) and back, so shards' files can be
// merged into one verdict, and as the certificate line people read.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "explore/explore_types.h"
#include "log/read_strategy.h"
#include "trace/trace.h"

namespace shapelog::cli {

// One strategy's exploration, as reported and as merged.
struct StrategyReport {
  ReadStrategy strategy = ReadStrategy::Generation;
  ExploreStats stats;
  std::optional<Trace> counterexample;  // the minimized trace, when a race was found
  uint32_t counterexample_preemptions = 0;
  uint64_t counterexample_steps = 0;
};

enum class ExploreOutcome { Race, RuledOut, Incomplete };
ExploreOutcome outcome_of(const StrategyReport& report);
std::string_view outcome_text(ExploreOutcome outcome);

nlohmann::json report_to_json(const StrategyReport& report);
// Throws BadInput naming `source` when the JSON is not an explore result.
StrategyReport report_from_json(const nlohmann::json& json, const std::string& source);

// "generation: ruled out: 20 schedules, 12 equivalence classes, complete at preemption
// bound 2, 0.01 s"
std::string certificate_line(const StrategyReport& report);

}  // namespace shapelog::cli
