// shapelog electric stat: one JSON object about a shape directory: its metadata decoded from
// ETF, its files and their sizes, each log part's records and chunk table, and the bytes
// Electric's recovery would cut past the last persisted transaction.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "build_info.h"
#include "commands/electric_commands.h"
#include "common/utf8.h"
#include "electric/chunk_index.h"
#include "electric/etf_json.h"
#include "electric/log_summary.h"
#include "electric/shape_dir.h"
#include "output/output.h"
#include "trace/json_text.h"

namespace shapelog::cli {

using namespace shapelog::electric;

namespace {

struct ElectricStatOptions {
  std::string shape_dir;
};

nlohmann::json optional_offset(const std::optional<Offset>& offset) {
  return offset ? nlohmann::json(offset->to_string()) : nlohmann::json(nullptr);
}

// Every file under the shape's log/, metadata/ and snapshot/, with its size (symlinks are
// named, not followed).
nlohmann::json files_of(const std::string& root) {
  nlohmann::json files = nlohmann::json::array();
  for (const char* sub : {"log", "metadata", "snapshot"}) {
    const std::string dir = root + "/" + sub;
    DIR* handle = ::opendir(dir.c_str());
    if (!handle) continue;
    std::vector<std::pair<std::string, nlohmann::json>> entries;
    while (dirent* entry = ::readdir(handle)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      struct stat st {};
      nlohmann::json item{{"path", std::string(sub) + "/" + printable_excerpt(name, 255)}};
      if (::lstat((dir + "/" + name).c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) item["symlink"] = true;
        else item["bytes"] = static_cast<uint64_t>(st.st_size);
      }
      entries.emplace_back(name, std::move(item));
    }
    ::closedir(handle);
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [name, item] : entries) files.push_back(std::move(item));
  }
  return files;
}

nlohmann::json chunk_table(const LogPart& part) {
  auto file = ReadOnlyFile::open(part.chunk_path);
  if (!file) return nullptr;
  ChunkIndex index(*file);
  nlohmann::json table = nlohmann::json::array();
  for (uint64_t n = 0; n < index.count(); ++n) {
    ChunkEntry entry = index.entry(n);
    nlohmann::json row{{"min", entry.min.to_string()},
                       {"start_pos", entry.start_pos},
                       {"key_start_pos", entry.key_start_pos}};
    if (entry.closed) {
      row["max"] = entry.max.to_string();
      row["end_pos"] = entry.end_pos;
      row["key_end_pos"] = entry.key_end_pos;
    } else {
      row["open"] = true;
    }
    table.push_back(std::move(row));
  }
  return table;
}

int run_electric_stat(const ElectricStatOptions& options) {
  const ShapeDir shape = open_shape_dir(options.shape_dir);
  const ShapeMetadata& meta = shape.metadata;
  nlohmann::json metadata = nlohmann::json::object();
  for (const MetadataFile& file : meta.files) {
    if (!file.present) {
      metadata[file.key] = nullptr;
    } else if (file.key == "snapshot_started?") {
      metadata[file.key] = true;
    } else if (file.term) {
      metadata[file.key] = term_to_json(*file.term);
    }
    if (!file.error.empty()) metadata[file.key] = nlohmann::json{{"error", file.error}};
  }
  nlohmann::json parts = nlohmann::json::array();
  for (const LogPart& part : shape.parts) {
    LogSummary summary = summarize_log(part, meta.last_persisted());
    nlohmann::json item{{"suffix", part.suffix},
                        {"log_exists", summary.exists},
                        {"log_bytes", summary.bytes},
                        {"records", summary.records},
                        {"first_offset", optional_offset(summary.first)},
                        {"last_offset", optional_offset(summary.last)},
                        {"bytes_past_last_persisted", summary.bytes_past_persisted()},
                        {"chunks", chunk_table(part)}};
    if (summary.cut_at) item["record_cut_short_at"] = *summary.cut_at;
    parts.push_back(std::move(item));
  }
  nlohmann::json out{
      {"shapelog", version_stamp()},
      {"shape_dir", shape.path},
      {"handle", shape.handle},
      {"storage_version_supported", !meta.version || *meta.version == kStorageVersion},
      {"last_persisted_txn_offset", meta.last_persisted().to_string()},
      {"metadata", std::move(metadata)},
      {"files", files_of(shape.path)},
      {"parts", std::move(parts)}};
  Output output;
  output.line(compact_json(out));
  return 0;
}

}  // namespace

CommandRun setup_electric_stat(CLI::App& group) {
  auto options = std::make_shared<ElectricStatOptions>();
  CLI::App* command = group.add_subcommand(
      "stat", "Describe a shape directory as one JSON object: metadata, files, chunk table");
  command
      ->add_option("SHAPE_DIR", options->shape_dir,
                   "The shape's directory, STORAGE_DIR/STACK_ID/ab/cd/HANDLE")
      ->required();
  return [options] { return run_electric_stat(*options); };
}

}  // namespace shapelog::cli
