// What explore reports per strategy, and merging the reports of the shards of one search into
// one verdict. Merging checks that the shards belong together (one trace, one set of
// settings, one split into N, each shard once) and that no total overflows; it never
// certifies what was not searched.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "explore/explore_types.h"
#include "shapelog/trace.h"

namespace shapelog {

// One strategy's search as reported.
struct StrategyResult {
  ReadStrategy strategy = ReadStrategy::Generation;
  ExploreStats stats;
  std::optional<SplitStats> split;
  std::string whole_trace_reason;       // when not split
  std::optional<Trace> counterexample;  // the minimized trace, when a read went wrong
  uint32_t counterexample_preemptions = 0;
  uint64_t counterexample_steps = 0;
};

enum class ExploreOutcome : uint8_t { Race, RuledOut, Incomplete };
ExploreOutcome outcome_of(const StrategyResult& result);
std::string_view outcome_text(ExploreOutcome outcome);  // "race", "ruled_out", "incomplete"

// One shard's report: every strategy it searched.
struct ShardResult {
  std::string source;    // where it was read from, for messages
  std::string trace_id;  // explore_trace_id()
  std::string trace_name;
  std::string settings;  // what shapes the search (bound, reduction, whole trace), as text
  Shard shard;
  std::vector<StrategyResult> results;
};

// A content hash of what explore searches in a trace (not its schedule or expectations).
std::string explore_trace_id(const Trace& trace);

// Totals add up; a race anywhere is a race (fewest preemptions, then steps); complete only if
// every shard is there and complete. Throws BadInput naming the file and the field.
ShardResult merge_shards(const std::vector<ShardResult>& shards);

}  // namespace shapelog
