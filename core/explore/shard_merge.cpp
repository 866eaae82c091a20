#include "explore/shard_merge.h"

#include <algorithm>

#include <fmt/format.h>
#include <xxhash.h>

#include "shapelog/error.h"
#include "trace/trace_writer.h"

namespace shapelog {

ExploreOutcome outcome_of(const StrategyResult& result) {
  if (result.counterexample) return ExploreOutcome::Race;
  return result.stats.complete ? ExploreOutcome::RuledOut : ExploreOutcome::Incomplete;
}

std::string_view outcome_text(ExploreOutcome outcome) {
  switch (outcome) {
    case ExploreOutcome::Race: return "race";
    case ExploreOutcome::RuledOut: return "ruled_out";
    case ExploreOutcome::Incomplete: return "incomplete";
  }
  return "incomplete";
}

std::string explore_trace_id(const Trace& trace) {
  Trace searched = trace;
  searched.schedule.reset();
  searched.expect.clear();
  const std::string text = write_trace(searched);
  return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

namespace {

void add_checked(uint64_t& total, uint64_t value, const ShardResult& shard,
                 std::string_view field) {
  if (value > UINT64_MAX - total)
    throw_bad_input(
        fmt::format("{}: \"{}\" makes the merged total overflow 64 bits; the "
                    "shard results are not from one search",
                    shard.source, field));
  total += value;
}

void merge_split(SplitStats& total, const SplitStats& part, const ShardResult& shard) {
  bool same_plan = total.reads == part.reads && total.subproblems.size() == part.subproblems.size();
  for (size_t i = 0; same_plan && i < part.subproblems.size(); ++i)
    same_plan = total.subproblems[i].range == part.subproblems[i].range &&
                total.subproblems[i].reads == part.subproblems[i].reads;
  if (!same_plan)
    throw_bad_input(
        fmt::format("{}: \"split\" lists other subproblems than the first shard; "
                    "the shards are not from one search",
                    shard.source));
  for (size_t i = 0; i < part.subproblems.size(); ++i) {
    SubproblemStats& t = total.subproblems[i];
    const SubproblemStats& p = part.subproblems[i];
    add_checked(t.schedules, p.schedules, shard, "split.subproblems.schedules");
    add_checked(t.classes, p.classes, shard, "split.subproblems.classes");
    for (const auto& [span, count] : p.spans) add_checked(t.spans[span], count, shard, "spans");
  }
}

void merge_result(StrategyResult& total, const StrategyResult& part, const ShardResult& shard) {
  ExploreStats& t = total.stats;
  const ExploreStats& s = part.stats;
  add_checked(t.schedules, s.schedules, shard, "schedules");
  add_checked(t.classes, s.classes, shard, "classes");
  add_checked(t.sleep_blocked, s.sleep_blocked, shard, "sleep_blocked");
  add_checked(t.earlier_bounds, s.earlier_bounds, shard, "earlier_bounds");
  add_checked(t.probes, s.probes, shard, "probes");
  t.preemption_bound = std::max(t.preemption_bound, s.preemption_bound);
  t.complete = t.complete && s.complete;
  if (t.stopped_by == StopReason::None) t.stopped_by = s.stopped_by;
  t.seconds = std::max(t.seconds, s.seconds);
  if (total.split.has_value() != part.split.has_value() ||
      total.whole_trace_reason != part.whole_trace_reason)
    throw_bad_input(fmt::format("{}: strategy {} was searched {} here but {} in the first shard",
                                shard.source, part.strategy,
                                part.split ? "per read" : "as the whole trace",
                                total.split ? "per read" : "as the whole trace"));
  if (part.split) merge_split(*total.split, *part.split, shard);
  if (part.counterexample &&
      (!total.counterexample ||
       std::pair(part.counterexample_preemptions, part.counterexample_steps) <
           std::pair(total.counterexample_preemptions, total.counterexample_steps))) {
    total.counterexample = part.counterexample;
    total.counterexample_preemptions = part.counterexample_preemptions;
    total.counterexample_steps = part.counterexample_steps;
  }
}

std::vector<ReadStrategy> strategies_of(const ShardResult& shard) {
  std::vector<ReadStrategy> strategies;
  for (const StrategyResult& result : shard.results) strategies.push_back(result.strategy);
  return strategies;
}

}  // namespace

ShardResult merge_shards(const std::vector<ShardResult>& shards) {
  if (shards.empty()) throw_bad_input("--merge needs at least one explore result");
  const ShardResult& first = shards.front();
  ShardResult merged = first;
  merged.source = "merged";
  merged.shard = Shard{0, 1};
  std::vector<bool> seen(first.shard.count, false);
  for (const ShardResult& shard : shards) {
    if (shard.trace_id != first.trace_id)
      throw_bad_input(
          fmt::format("{}: \"trace_id\" {} (trace '{}') differs from {}'s {} (trace "
                      "'{}'); merge only shards of one trace",
                      shard.source, shard.trace_id, shard.trace_name, first.source, first.trace_id,
                      first.trace_name));
    if (shard.settings != first.settings)
      throw_bad_input(
          fmt::format("{}: \"settings\" {} differ from {}'s {}; merge only shards "
                      "run with the same flags",
                      shard.source, shard.settings, first.source, first.settings));
    if (shard.shard.count != first.shard.count)
      throw_bad_input(fmt::format("{}: shard {}/{} belongs to a split into {}, not {}",
                                  shard.source, shard.shard.index, shard.shard.count,
                                  shard.shard.count, first.shard.count));
    if (shard.shard.index >= shard.shard.count)
      throw_bad_input(fmt::format("{}: \"shard\" {}/{} is not K/N with K < N", shard.source,
                                  shard.shard.index, shard.shard.count));
    if (seen[shard.shard.index])
      throw_bad_input(fmt::format("{}: shard {}/{} is given twice", shard.source, shard.shard.index,
                                  shard.shard.count));
    seen[shard.shard.index] = true;
    if (strategies_of(shard) != strategies_of(first))
      throw_bad_input(
          fmt::format("{}: \"results\" hold other strategies than {}'s; run every "
                      "shard with the same --strategy",
                      shard.source, first.source));
    if (&shard == &first) continue;
    for (size_t i = 0; i < shard.results.size(); ++i)
      merge_result(merged.results[i], shard.results[i], shard);
  }
  const size_t present = static_cast<size_t>(std::count(seen.begin(), seen.end(), true));
  if (present != seen.size())
    for (StrategyResult& result : merged.results) {
      result.stats.complete = false;
      if (!result.counterexample) result.stats.stopped_by = StopReason::MissingShards;
    }
  return merged;
}

}  // namespace shapelog
