#include "output/explore_report.h"

#include <fmt/format.h>

#include "build_info.h"
#include "explore/class_count.h"
#include "input/number_flags.h"
#include "shapelog/error.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"

namespace shapelog::cli {

namespace {

constexpr std::string_view kArgument =
    "no read step under this strategy writes shared state and every read runs on a fresh "
    "reader, so whether a read goes wrong depends only on how its own steps fall among the "
    "writer's steps: one search per distinct read covers every schedule of the trace";
constexpr std::string_view kBeyond =
    "the writer's ops are safe against any number of readers issuing any of these reads, in "
    "any order";

nlohmann::json range_to_json(const ReadRange& range) {
  nlohmann::json json = {{range.inclusive ? "from" : "after", range.start.to_string()}};
  if (range.to) json["to"] = range.to->to_string();
  return json;
}

[[noreturn]] void bad_field(const std::string& source, std::string_view field,
                            std::string_view want) {
  throw_bad_input(
      fmt::format("{}: \"{}\" must be {}; pass files written by 'shapelog explore "
                  "--json'",
                  source, field, want));
}

const nlohmann::json& field(const nlohmann::json& json, std::string_view key,
                            const std::string& source) {
  if (!json.is_object() || !json.contains(key)) bad_field(source, key, "present");
  return json.at(key);
}

uint64_t count_field(const nlohmann::json& json, std::string_view key, const std::string& source,
                     uint64_t limit = UINT64_MAX) {
  const nlohmann::json& value = field(json, key, source);
  if (!value.is_number_unsigned() || value.get<uint64_t>() > limit)
    bad_field(source, key, fmt::format("a whole number from 0 to {}", limit));
  return value.get<uint64_t>();
}

std::string text_field(const nlohmann::json& json, std::string_view key,
                       const std::string& source) {
  const nlohmann::json& value = field(json, key, source);
  if (!value.is_string()) bad_field(source, key, "a string");
  return value.get<std::string>();
}

bool bool_field(const nlohmann::json& json, std::string_view key, const std::string& source) {
  const nlohmann::json& value = field(json, key, source);
  if (!value.is_boolean()) bad_field(source, key, "true or false");
  return value.get<bool>();
}

Offset offset_field(const nlohmann::json& json, std::string_view key, const std::string& source) {
  std::optional<Offset> offset = parse_offset(text_field(json, key, source));
  if (!offset) bad_field(source, key, "an offset TX_OP");
  return *offset;
}

ReadRange range_from_json(const nlohmann::json& json, const std::string& source) {
  ReadRange range;
  range.inclusive = json.is_object() && json.contains("from");
  range.start = offset_field(json, range.inclusive ? "from" : "after", source);
  if (json.contains("to")) range.to = offset_field(json, "to", source);
  return range;
}

nlohmann::json split_to_json(const SplitStats& split, const Trace* trace, bool ruled_out) {
  nlohmann::json subproblems = nlohmann::json::array();
  for (const SubproblemStats& s : split.subproblems) {
    nlohmann::json reads = nlohmann::json::array();
    for (const auto& [actor, op] : s.reads) reads.push_back({{"actor", actor}, {"op", op}});
    nlohmann::json spans = nlohmann::json::array();
    for (const auto& [span, count] : s.spans) spans.push_back({span.first, span.second, count});
    subproblems.push_back({{"range", range_to_json(s.range)},
                           {"reads", reads},
                           {"schedules", s.schedules},
                           {"classes", s.classes},
                           {"spans", spans}});
  }
  nlohmann::json json = {{"reads", split.reads},
                         {"merged_reads", split.reads - split.subproblems.size()},
                         {"subproblems", subproblems},
                         {"argument", kArgument},
                         {"proves_beyond_trace", ruled_out}};
  if (trace) json["whole_trace_classes"] = whole_trace_classes(*trace, split).to_string();
  return json;
}

SplitStats split_from_json(const nlohmann::json& json, const std::string& source) {
  SplitStats split;
  split.reads = count_field(json, "reads", source);
  const nlohmann::json& subproblems = field(json, "subproblems", source);
  if (!subproblems.is_array()) bad_field(source, "split.subproblems", "an array");
  for (const nlohmann::json& item : subproblems) {
    SubproblemStats& s = split.subproblems.emplace_back();
    s.range = range_from_json(field(item, "range", source), source);
    const nlohmann::json& reads = field(item, "reads", source);
    if (!reads.is_array() || reads.empty()) bad_field(source, "split.subproblems.reads", "a list");
    for (const nlohmann::json& read : reads)
      s.reads.emplace_back(count_field(read, "actor", source), count_field(read, "op", source));
    s.schedules = count_field(item, "schedules", source);
    s.classes = count_field(item, "classes", source);
    const nlohmann::json& spans = field(item, "spans", source);
    if (!spans.is_array()) bad_field(source, "spans", "an array");
    for (const nlohmann::json& span : spans) {
      if (!span.is_array() || span.size() != 3 || !span[0].is_number_unsigned() ||
          !span[1].is_number_unsigned() || !span[2].is_number_unsigned() ||
          span[0].get<uint64_t>() > UINT32_MAX || span[1].get<uint64_t>() > UINT32_MAX)
        bad_field(source, "spans", "a list of [latest first, last, count] whole numbers");
      s.spans[{span[0].get<uint32_t>(), span[1].get<uint32_t>()}] += span[2].get<uint64_t>();
    }
  }
  if (split.subproblems.size() > split.reads)
    bad_field(source, "split.reads", "at least the number of subproblems");
  return split;
}

nlohmann::json result_to_json(const StrategyResult& result, const Trace* trace) {
  const ExploreStats& s = result.stats;
  const ExploreOutcome outcome = outcome_of(result);
  nlohmann::json json = {{"strategy", strategy_name(result.strategy)},
                         {"outcome", outcome_text(outcome)},
                         {"search", result.split ? "per read" : "whole trace"},
                         {"schedules", s.schedules},
                         {"classes", s.classes},
                         {"sleep_blocked", s.sleep_blocked},
                         {"earlier_bounds", s.earlier_bounds},
                         {"probes", s.probes},
                         {"preemption_bound", s.preemption_bound},
                         {"complete", s.complete},
                         {"stopped_by", stop_reason_name(s.stopped_by)},
                         {"seconds", s.seconds}};
  if (result.split)
    json["split"] = split_to_json(*result.split, trace, outcome == ExploreOutcome::RuledOut);
  else json["whole_trace_reason"] = result.whole_trace_reason;
  if (result.counterexample)
    json["counterexample"] = {
        {"preemptions", result.counterexample_preemptions},
        {"steps", result.counterexample_steps},
        {"trace", nlohmann::json::parse(write_trace(*result.counterexample))}};
  return json;
}

StrategyResult result_from_json(const nlohmann::json& json, const std::string& source) {
  StrategyResult result;
  std::optional<ReadStrategy> strategy = parse_strategy(text_field(json, "strategy", source));
  if (!strategy) bad_field(source, "strategy", "naive, recheck, fallback or generation");
  result.strategy = *strategy;
  ExploreStats& s = result.stats;
  s.schedules = count_field(json, "schedules", source);
  s.classes = count_field(json, "classes", source);
  s.sleep_blocked = count_field(json, "sleep_blocked", source);
  s.earlier_bounds = count_field(json, "earlier_bounds", source);
  s.probes = count_field(json, "probes", source);
  s.preemption_bound =
      static_cast<uint32_t>(count_field(json, "preemption_bound", source, UINT32_MAX));
  s.complete = bool_field(json, "complete", source);
  std::optional<StopReason> stop = parse_stop_reason(text_field(json, "stopped_by", source));
  if (!stop) bad_field(source, "stopped_by", "a stop reason explore prints");
  s.stopped_by = *stop;
  const nlohmann::json& seconds = field(json, "seconds", source);
  if (!seconds.is_number() || seconds.get<double>() < 0)
    bad_field(source, "seconds", "a number >= 0");
  s.seconds = seconds.get<double>();
  if (s.classes > s.schedules) bad_field(source, "classes", "at most \"schedules\"");
  if (s.complete == (s.stopped_by != StopReason::None) && !json.contains("counterexample"))
    bad_field(source, "complete", "true exactly when \"stopped_by\" is empty");
  if (json.contains("split")) result.split = split_from_json(json.at("split"), source);
  else result.whole_trace_reason = text_field(json, "whole_trace_reason", source);
  if (json.contains("counterexample")) {
    const nlohmann::json& cx = json.at("counterexample");
    result.counterexample =
        parse_trace(field(cx, "trace", source).dump(), source + " (counterexample)");
    result.counterexample_preemptions =
        static_cast<uint32_t>(count_field(cx, "preemptions", source, UINT32_MAX));
    result.counterexample_steps = count_field(cx, "steps", source);
  }
  if (text_field(json, "outcome", source) != outcome_text(outcome_of(result)))
    bad_field(source, "outcome",
              fmt::format("\"{}\", what its other fields say", outcome_text(outcome_of(result))));
  return result;
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto index = parse_whole_number(text.substr(0, slash), UINT32_MAX);
  const auto count = parse_whole_number(text.substr(slash + 1), UINT32_MAX);
  if (!index || !count || *count == 0 || *index >= *count) return std::nullopt;
  return Shard{static_cast<uint32_t>(*index), static_cast<uint32_t>(*count)};
}

nlohmann::json shard_to_json(const ShardResult& shard, const Trace* trace) {
  nlohmann::json document = {{"shapelog", version_stamp()},
                             {"trace", shard.trace_name},
                             {"trace_id", shard.trace_id},
                             {"settings", shard.settings},
                             {"shard", fmt::format("{}/{}", shard.shard.index, shard.shard.count)},
                             {"results", nlohmann::json::array()}};
  for (const StrategyResult& result : shard.results)
    document["results"].push_back(result_to_json(result, trace));
  return document;
}

ShardResult shard_from_json(const nlohmann::json& json, const std::string& source) {
  ShardResult shard;
  shard.source = source;
  if (!json.is_object())
    throw_bad_input(
        fmt::format("{}: not an explore result (not a JSON object); pass files written by "
                    "'shapelog explore --json'",
                    source));
  shard.trace_name = text_field(json, "trace", source);
  shard.trace_id = text_field(json, "trace_id", source);
  shard.settings = text_field(json, "settings", source);
  std::optional<Shard> parsed = parse_shard(text_field(json, "shard", source));
  if (!parsed) bad_field(source, "shard", "K/N with 0 <= K < N <= 4294967295");
  shard.shard = *parsed;
  const nlohmann::json& results = field(json, "results", source);
  if (!results.is_array() || results.empty()) bad_field(source, "results", "a non-empty list");
  for (const nlohmann::json& item : results)
    shard.results.push_back(result_from_json(item, source));
  return shard;
}

std::string certificate(const StrategyResult& result, const Trace* trace) {
  const ExploreStats& s = result.stats;
  std::string coverage =
      fmt::format("{} schedules, {} equivalence classes", s.schedules, s.classes);
  if (result.split) {
    const SplitStats& split = *result.split;
    coverage = fmt::format(
        "{} subproblem{} (one per distinct read: {} read{}, {} merged as "
        "identical), {}",
        split.subproblems.size(), split.subproblems.size() == 1 ? "" : "s", split.reads,
        split.reads == 1 ? "" : "s", split.reads - split.subproblems.size(), coverage);
    if (trace)
      coverage += fmt::format(", standing for {} classes of the whole trace",
                              whole_trace_classes(*trace, split).to_string());
  } else if (s.earlier_bounds > 0) {
    coverage += fmt::format(
        " ({} of the schedules at lower bounds, run again as the bound "
        "grew)",
        s.earlier_bounds);
  }
  std::string line;
  switch (outcome_of(result)) {
    case ExploreOutcome::Race:
      line = fmt::format("{}: RACE after {}; counterexample with {} preemption{}, {} steps",
                         result.strategy, coverage, result.counterexample_preemptions,
                         result.counterexample_preemptions == 1 ? "" : "s",
                         result.counterexample_steps);
      break;
    case ExploreOutcome::RuledOut:
      line = fmt::format("{}: ruled out: {}, complete ({} preemption bound {}), {:.3f} s",
                         result.strategy, coverage,
                         result.split ? "every class within" : "deepened to", s.preemption_bound,
                         s.seconds);
      break;
    case ExploreOutcome::Incomplete:
      line = fmt::format(
          "{}: nothing found, NOT ruled out: {} covered so far, stopped by {} "
          "at preemption bound {}, {:.3f} s",
          result.strategy, coverage, s.stopped_by, s.preemption_bound, s.seconds);
      break;
  }
  // A race needs no argument; a verdict of "nothing found" does.
  if (result.split && outcome_of(result) != ExploreOutcome::Race) {
    line += fmt::format("\n  why searching per read is enough: {}", kArgument);
    if (outcome_of(result) == ExploreOutcome::RuledOut)
      line += fmt::format("\n  beyond this trace: {}", kBeyond);
  } else if (!result.whole_trace_reason.empty()) {
    line += fmt::format("\n  searched as the whole trace: {}", result.whole_trace_reason);
  }
  return line;
}

}  // namespace shapelog::cli
