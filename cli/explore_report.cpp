#include "explore_report.h"

#include <fmt/format.h>

#include "common/error.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"

namespace shapelog::cli {

ExploreOutcome outcome_of(const StrategyReport& report) {
  if (report.counterexample) return ExploreOutcome::Race;
  return report.stats.complete ? ExploreOutcome::RuledOut : ExploreOutcome::Incomplete;
}

std::string_view outcome_text(ExploreOutcome outcome) {
  switch (outcome) {
    case ExploreOutcome::Race: return "race";
    case ExploreOutcome::RuledOut: return "ruled_out";
    case ExploreOutcome::Incomplete: return "incomplete";
  }
  return "incomplete";
}

nlohmann::json report_to_json(const StrategyReport& report) {
  const ExploreStats& s = report.stats;
  nlohmann::json json = {{"strategy", strategy_name(report.strategy)},
                         {"outcome", outcome_text(outcome_of(report))},
                         {"schedules", s.schedules},
                         {"classes", s.classes},
                         {"sleep_blocked", s.sleep_blocked},
                         {"probes", s.probes},
                         {"preemption_bound", s.preemption_bound},
                         {"complete", s.complete},
                         {"stopped_by", s.stopped_by},
                         {"seconds", s.seconds}};
  if (report.counterexample)
    json["counterexample"] = {{"preemptions", report.counterexample_preemptions},
                              {"steps", report.counterexample_steps},
                              {"trace", nlohmann::json::parse(write_trace(*report.counterexample))}};
  return json;
}

StrategyReport report_from_json(const nlohmann::json& json, const std::string& source) {
  try {
    StrategyReport report;
    auto strategy = parse_strategy(json.at("strategy").get<std::string>());
    if (!strategy) throw_bad_input(fmt::format("{}: unknown strategy in an explore result", source));
    report.strategy = *strategy;
    ExploreStats& s = report.stats;
    s.schedules = json.at("schedules").get<uint64_t>();
    s.classes = json.at("classes").get<uint64_t>();
    s.sleep_blocked = json.at("sleep_blocked").get<uint64_t>();
    s.probes = json.at("probes").get<uint64_t>();
    s.preemption_bound = json.at("preemption_bound").get<uint32_t>();
    s.complete = json.at("complete").get<bool>();
    s.stopped_by = json.at("stopped_by").get<std::string>();
    s.seconds = json.at("seconds").get<double>();
    if (json.contains("counterexample")) {
      const nlohmann::json& cx = json.at("counterexample");
      report.counterexample = parse_trace(cx.at("trace").dump(), source + " (counterexample)");
      report.counterexample_preemptions = cx.at("preemptions").get<uint32_t>();
      report.counterexample_steps = cx.at("steps").get<uint64_t>();
    }
    return report;
  } catch (const nlohmann::json::exception& error) {
    throw_bad_input(fmt::format("{}: not an explore result ({}); pass files written by "
                                "'shapelog explore --json'",
                                source, error.what()));
  }
}

std::string certificate_line(const StrategyReport& report) {
  const ExploreStats& s = report.stats;
  std::string coverage = fmt::format("{} schedules, {} equivalence classes", s.schedules, s.classes);
  switch (outcome_of(report)) {
    case ExploreOutcome::Race:
      return fmt::format("{}: RACE after {}; counterexample with {} preemption{}, {} steps",
                         report.strategy, coverage, report.counterexample_preemptions,
                         report.counterexample_preemptions == 1 ? "" : "s",
                         report.counterexample_steps);
    case ExploreOutcome::RuledOut:
      return fmt::format("{}: ruled out: {}, complete (deepened to preemption bound {}), {:.3f} s",
                         report.strategy, coverage, s.preemption_bound, s.seconds);
    case ExploreOutcome::Incomplete:
      return fmt::format("{}: nothing found, NOT ruled out: {}, stopped by {} at preemption "
                         "bound {}, {:.3f} s",
                         report.strategy, coverage, s.stopped_by, s.preemption_bound, s.seconds);
  }
  return {};
}

}  // namespace shapelog::cli
