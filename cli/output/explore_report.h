// Explore's results as JSON (one document per run, one object per strategy) and back, so
// shards' files can be merged into one verdict (explore/shard_merge.h), and as the
// certificate people read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "explore/shard_merge.h"

namespace shapelog::cli {

// "K/N" with 0 <= K < N <= 4294967295, as --shard and the "shard" field write it.
std::optional<Shard> parse_shard(std::string_view text);

nlohmann::json shard_to_json(const ShardResult& shard, const Trace* trace);
// Checks every field it reads; throws BadInput naming `shard.source` and the field.
ShardResult shard_from_json(const nlohmann::json& json, const std::string& source);

// "generation: ruled out: ...", with the per-read argument on the lines below it when the
// search was split. trace is the trace searched (nullptr after a merge).
std::string certificate(const StrategyResult& result, const Trace* trace);

}  // namespace shapelog::cli
