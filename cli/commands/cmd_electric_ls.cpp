// shapelog electric ls: one JSON line per shape under an Electric storage directory (or, with
// --json, one JSON document with the shapes and their totals).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/electric_commands.h"
#include "electric/chunk_index.h"
#include "electric/log_summary.h"
#include "electric/shape_dir.h"
#include "electric/storage_scan.h"
#include "output/output.h"
#include "shapelog/error.h"
#include "trace/json_text.h"

namespace shapelog::cli {

using namespace shapelog::electric;

namespace {

struct ElectricLsOptions {
  std::string storage_dir;
  bool json = false;
};

nlohmann::json describe_shape(const std::string& dir, uint64_t& records, uint64_t& bytes) {
  nlohmann::json item{{"path", dir}};
  try {
    const ShapeDir shape = open_shape_dir(dir);
    const ShapeMetadata& meta = shape.metadata;
    item["handle"] = shape.handle;
    uint64_t shape_records = 0, shape_bytes = 0, chunks = 0;
    std::optional<Offset> first, last;
    for (const LogPart& part : shape.parts) {
      LogSummary summary = summarize_log(part, meta.last_persisted());
      shape_records += summary.records;
      shape_bytes += summary.bytes;
      if (!first) first = summary.first;
      if (summary.last) last = summary.last;
      if (auto file = ReadOnlyFile::open(part.chunk_path)) chunks += ChunkIndex(*file).count();
    }
    uint64_t snapshot_chunks = 0;
    while (ReadOnlyFile::open(shape.snapshot_chunk_path(snapshot_chunks))) ++snapshot_chunks;
    uint64_t metadata_errors = 0;
    for (const MetadataFile& file : meta.files) metadata_errors += !file.error.empty();
    item["records"] = shape_records;
    item["bytes"] = shape_bytes;
    item["first_offset"] = first ? nlohmann::json(first->to_string()) : nlohmann::json(nullptr);
    item["last_offset"] = last ? nlohmann::json(last->to_string()) : nlohmann::json(nullptr);
    item["last_persisted_txn_offset"] = meta.last_persisted().to_string();
    item["chunks"] = chunks;
    item["snapshot"] = {{"started", meta.snapshot_started},
                        {"complete", meta.last_snapshot_chunk.has_value()},
                        {"chunks", snapshot_chunks}};
    if (metadata_errors) item["metadata_errors"] = metadata_errors;
    records += shape_records;
    bytes += shape_bytes;
  } catch (const Error& error) {
    item["error"] = error.what();
  }
  return item;
}

int run_electric_ls(const ElectricLsOptions& options) {
  const StorageScan scan = scan_storage(options.storage_dir);
  if (scan.symlinks_skipped)
    fmt::print(stderr, "shapelog: note: {} symbolic link(s) under {} not followed\n",
               scan.symlinks_skipped, options.storage_dir);
  if (scan.unreadable_dirs)
    fmt::print(stderr,
               "shapelog: warning: {} directories under {} could not be read "
               "(permissions?)\n",
               scan.unreadable_dirs, options.storage_dir);
  Output out;
  uint64_t records = 0, bytes = 0;
  nlohmann::json shapes = nlohmann::json::array();
  for (const std::string& dir : scan.shape_dirs) {
    nlohmann::json item = describe_shape(dir, records, bytes);
    if (options.json) shapes.push_back(std::move(item));
    else out.line(compact_json(item));
  }
  if (options.json) {
    nlohmann::json summary{{"storage_dir", options.storage_dir},
                           {"shape_count", scan.shape_dirs.size()},
                           {"records", records},
                           {"bytes", bytes},
                           {"symlinks_skipped", scan.symlinks_skipped},
                           {"shapes", std::move(shapes)}};
    out.line(compact_json(summary));
  }
  return 0;
}

}  // namespace

CommandRun setup_electric_ls(CLI::App& group) {
  auto options = std::make_shared<ElectricLsOptions>();
  CLI::App* command = group.add_subcommand(
      "ls", "List the shapes under an Electric storage directory, one JSON line each");
  command
      ->add_option("STORAGE_DIR", options->storage_dir,
                   "Electric's storage directory (ELECTRIC_STORAGE_DIR/shapes)")
      ->required();
  command->add_flag("--json", options->json,
                    "One JSON document instead: the shapes and their totals");
  return [options] { return run_electric_ls(*options); };
}

}  // namespace shapelog::cli
