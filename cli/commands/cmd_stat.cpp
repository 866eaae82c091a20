// shapelog stat: one JSON object describing the log.
#include <nlohmann/json.hpp>

#include "build_info.h"
#include "commands/commands.h"
#include "log/log_reader.h"
#include "output/output.h"
#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "trace/json_text.h"

namespace shapelog::cli {

namespace {

int run_stat(AppContext& context) {
  FileSystem& fs = *context.fs;
  LogReader reader(fs, context.dir);
  warn_on_index_problems(reader);
  MetaSnapshot snap = reader.snapshot();
  DiskLogReader::Tail tail = reader.disk().tail();

  nlohmann::json segments = nlohmann::json::array();
  uint64_t bytes = 0;
  for (const SegmentFile& segment : list_segments(fs, context.dir)) {
    uint64_t size = fs.open_read(join_path(context.dir, segment.name))->size();
    bytes += size;
    segments.push_back({{"name", segment.name}, {"bytes", size}});
  }
  const SharedBuffer* buffer = reader.buffer();
  uint64_t buffered = buffer ? buffer->buffered_entries() : 0;
  nlohmann::json stat = {
      {"dir", context.dir},
      {"last_seen", snap.last_seen.to_string()},
      {"last_persisted", snap.last_persisted.to_string()},
      {"generation", snap.generation},
      {"entries", tail.count + buffered},
      {"persisted_entries", tail.count},
      {"persisted_bytes", bytes},
      {"buffered_entries", buffered},
      {"buffered_bytes", buffer ? buffer->used_bytes() : 0},
      {"buffer_capacity", buffer ? buffer->capacity() : 0},
      {"index_entries", OffsetIndexReader(fs, context.dir).size()},
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
