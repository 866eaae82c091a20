#include "electric/shape_metadata.h"

#include <fmt/format.h>

#include "electric/read_only_file.h"
#include "shapelog/error.h"

namespace shapelog::electric {

namespace {

// pure_file_storage.ex, @stored_keys.
constexpr const char* kStoredKeys[] = {
    "version",     "latest_name",         "last_persisted_txn_offset", "snapshot_started?",
    "pg_snapshot", "last_snapshot_chunk", "compaction_started?",       "compaction_boundary"};

// Checks the decoded term's shape for the keys shapelog uses; returns an error or "".
std::string take_value(const MetadataFile& file, ShapeMetadata& meta) {
  const Term& term = *file.term;
  if (file.key == "version") {
    if (term.kind != Term::Kind::Integer) return "version is not an integer";
    meta.version = term.integer;
  } else if (file.key == "latest_name") {
    if (term.kind != Term::Kind::Binary || !term.text.starts_with("latest.") ||
        term.text.find('/') != std::string::npos)
      return "latest_name is not a string \"latest.<n>\"";
    meta.latest_name = term.text;
    meta.latest_name_stored = true;
  } else if (file.key == "last_persisted_txn_offset" || file.key == "last_snapshot_chunk") {
    auto offset = log_offset_from_term(term);
    if (!offset) return fmt::format("{} is not a %LogOffset{{}}", file.key);
    (file.key == "last_persisted_txn_offset" ? meta.last_persisted_txn_offset
                                             : meta.last_snapshot_chunk) = offset;
  } else if (file.key == "compaction_boundary") {
    if (term.kind != Term::Kind::Tuple || term.items.size() != 2)
      return "compaction_boundary is not a 2-tuple {%LogOffset{}, suffix}";
    auto offset = log_offset_from_term(term.items[0]);
    if (!offset) return "compaction_boundary's first element is not a %LogOffset{}";
    const Term& suffix = term.items[1];
    if (suffix.is_atom("nil")) return "";  // {before_all, nil}: no compaction yet
    if (suffix.kind != Term::Kind::Binary || !suffix.text.starts_with("compacted.") ||
        suffix.text.find('/') != std::string::npos)
      return "compaction_boundary's suffix is not a string \"compacted.<ms>\" or nil";
    meta.compaction_boundary = CompactionBoundary{*offset, suffix.text};
  } else if (file.key == "compaction_started?") {
    if (!term.is_atom("true") && !term.is_atom("false"))
      return "compaction_started? is not true or false";
  }
  return "";
}

}  // namespace

LogOffset ShapeMetadata::last_persisted() const {
  return last_persisted_txn_offset.value_or(LogOffset{false, 0, true, 0});
}

ShapeMetadata read_shape_metadata(const std::string& metadata_dir) {
  ShapeMetadata meta;
  for (const char* key : kStoredKeys) {
    MetadataFile file;
    file.key = key;
    file.path = metadata_dir + "/" + key + ".bin";
    auto bytes = read_small_file(file.path, kMaxBytes);
    if (bytes) {
      file.present = true;
      file.bytes = bytes->size();
      if (file.key == "snapshot_started?") {
        meta.snapshot_started = true;
        if (!bytes->empty())
          file.error = fmt::format("{} bytes where Electric writes an empty file", bytes->size());
      } else {
        try {
          DecodedTerm decoded = decode_etf(*bytes);
          file.term = std::move(decoded.term);
          file.trailing = decoded.trailing;
          file.error = take_value(file, meta);
        } catch (const Error& error) {
          file.error = fmt::format("not a term Electric could read back: {}", error.what());
        }
      }
    }
    meta.files.push_back(std::move(file));
  }
  return meta;
}

}  // namespace shapelog::electric
