// shapelog stat: one JSON object describing the log.
#include <nlohmann/json.hpp>

#include "build_info.h"
#include "commands/commands.h"
#include "output/output.h"
#include "shapelog/log_reader.h"
#include "trace/json_text.h"

namespace shapelog::cli {

namespace {

int run_stat(AppContext& context) {
  LogReader reader(*context.fs, context.dir);
  warn_on_index_problems(reader);
  const LogStats stats = reader.stats();
  nlohmann::json segments = nlohmann::json::array();
  uint64_t bytes = 0;
  for (const LogStats::Segment& segment : stats.segments) {
    bytes += segment.bytes;
    segments.push_back({{"name", segment.name}, {"bytes", segment.bytes}});
  }
  const LogStats::Buffer buffer = stats.buffer.value_or(LogStats::Buffer{});
  nlohmann::json stat = {
      {"dir", context.dir},
      {"last_seen", stats.meta.last_seen.to_string()},
      {"last_persisted", stats.meta.last_persisted.to_string()},
      {"generation", stats.meta.generation},
      {"entries", stats.persisted_entries + buffer.entries},
      {"persisted_entries", stats.persisted_entries},
      {"persisted_bytes", bytes},
      {"buffered_entries", buffer.entries},
      {"buffered_bytes", buffer.used_bytes},
      {"buffer_capacity", buffer.capacity},
      {"index_entries", stats.index_entries},
      {"segments", segments},
      {"shapelog", version_stamp()},
  };
  Output out;
  out.line(compact_json(stat));
  return 0;
}

}  // namespace

CommandRun setup_stat(CLI::App& app, AppContext& context) {
  app.add_subcommand("stat", "Print the log's offsets, generation, counts and segments as JSON");
  return [&context] { return run_stat(context); };
}

}  // namespace shapelog::cli
