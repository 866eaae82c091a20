#include "electric/shape_checker.h"

#include <fmt/format.h>

#include "electric/chunk_cursor.h"
#include "electric/json_validator.h"
#include "electric/log_record_reader.h"
#include "electric/snapshot_reader.h"

namespace shapelog::electric {

namespace {

class Checker {
 public:
  Checker(const ShapeDir& shape, const CheckOptions& options,
          const std::function<void(const Finding&)>& report)
      : shape_(shape), options_(options), report_(report) {}

  CheckSummary run() {
    check_metadata();
    for (size_t i = 0; i < shape_.parts.size(); ++i)
      check_part(shape_.parts[i], i + 1 == shape_.parts.size());
    check_snapshot();
    return summary_;
  }

 private:
  void found(const std::string& file, std::optional<uint64_t> pos, const char* kind,
             std::string reason, bool damage) {
    ++(damage ? summary_.damage : summary_.notices);
    report_(Finding{file, pos, kind, std::move(reason), damage});
  }

  void check_metadata() {
    const ShapeMetadata& meta = shape_.metadata;
    for (const MetadataFile& file : meta.files) {
      if (!file.error.empty()) found(file.path, std::nullopt, "metadata", file.error, true);
      if (file.trailing)
        found(file.path, file.bytes - file.trailing, "metadata_trailing",
              fmt::format("{} bytes after the term; Electric's :erlang.binary_to_term/1 ignores "
                          "them, but term_to_binary never writes them",
                          file.trailing),
              false);
    }
    const std::string dir = shape_.path + "/metadata/";
    if (meta.version && *meta.version != kStorageVersion)
      found(dir + "version.bin", std::nullopt, "storage_version",
            fmt::format("storage version {}, where this Electric format is version {}; Electric "
                        "deletes such a shape directory on start",
                        *meta.version, kStorageVersion),
            true);
    if (!meta.files[0].present)
      found(dir + "version.bin", std::nullopt, "no_version",
            "no version.bin: Electric treats this directory as a shape being created", false);
    else if (!meta.last_snapshot_chunk || !meta.files[4].present)
      found(dir, std::nullopt, "snapshot_incomplete",
            "last_snapshot_chunk.bin or pg_snapshot.bin is missing: the initial snapshot has "
            "not finished, and Electric deletes the directory if it starts in this state",
            false);
  }

  void check_part(const LogPart& part, bool last_part) {
    auto log = ReadOnlyFile::open(part.json_path);
    auto chunk_file = ReadOnlyFile::open(part.chunk_path);
    if (!log) {
      if (!last_part)
        found(part.json_path, std::nullopt, "log_missing",
              "the compacted log named by compaction_boundary.bin is missing", true);
      return;
    }
    log->expect_sequential();
    const LogOffset persisted =
        last_part ? shape_.metadata.last_persisted() : LogOffset{false, UINT64_MAX, true, 0};
    std::optional<ChunkIndex> index;
    std::optional<ChunkCursor> cursor;
    if (chunk_file) {
      index.emplace(*chunk_file);
      if (index->stray_bytes())
        found(part.chunk_path, index->file_size() - index->stray_bytes(), "chunk_index_length",
              fmt::format("{} bytes, not a multiple of 32 (half an entry): {} stray bytes at the "
                          "end, which Electric's recovery truncates",
                          index->file_size(), index->stray_bytes()),
              true);
      cursor.emplace(*index, persisted,
                     [&](const char* kind, uint64_t pos, const std::string& reason, bool damage) {
                       found(part.chunk_path, pos, kind, reason, damage);
                     });
    } else if (log->size() > 0) {
      found(part.chunk_path, std::nullopt, "chunk_index_missing",
            "the log has records but there is no chunk index (Electric writes a chunk's opening "
            "half before its first record)",
            true);
    }

    LogRecordReader reader(*log);
    LogRecord record;
    std::optional<Offset> previous;
    std::optional<uint64_t> persisted_end;  // where recovery would cut, once known
    uint64_t records_past = 0;
    bool persisted_seen = false;
    LogRecordReader::Status status;
    while ((status = reader.next(record)) == LogRecordReader::Status::Record) {
      ++summary_.records;
      check_record(part, record, previous);
      previous = record.offset;
      if (cursor) cursor->on_record(record);
      if (persisted_end) {
        ++records_past;
      } else if (persisted.is_before(record.offset)) {
        persisted_end = record.pos;
        records_past = 1;
      } else if (persisted.is_at(record.offset)) {
        persisted_end = record.end();
        persisted_seen = true;
      }
    }
    const uint64_t whole_end = reader.position();
    const uint64_t size = std::max(log->size(), whole_end);
    summary_.log_bytes += size;
    if (cursor) cursor->finish(whole_end);
    if (status == LogRecordReader::Status::Cut) {
      // Past the last persisted transaction, a cut record is a flush that did not finish.
      const bool pending = persisted_end.has_value();
      found(part.json_path, whole_end, "torn_record",
            fmt::format("the last record is cut short: it needs {} bytes, the file has {} from "
                        "byte {}{}",
                        reader.cut_need(), size - whole_end, whole_end,
                        pending ? " (after last_persisted_txn_offset: an unfinished write, which "
                                  "Electric's recovery cuts)"
                                : " (before last_persisted_txn_offset was reached: persisted "
                                  "data is lost)"),
            !pending);
    }
    if (last_part) {
      const bool real = !persisted.before_all && !persisted.op_infinity;
      if (real && !persisted_seen && previous)
        found(shape_.path + "/metadata/last_persisted_txn_offset.bin", std::nullopt,
              "persisted_offset_missing",
              fmt::format("last_persisted_txn_offset is {}, but no record of the log has that "
                          "offset (the last whole record is {})",
                          persisted.to_string(), *previous),
              true);
      if (persisted_end && size > *persisted_end)
        found(part.json_path, *persisted_end, "unpersisted_tail",
              fmt::format("{} bytes ({} whole records) after last_persisted_txn_offset {}: what "
                          "Electric's recovery would cut on restart, not damage",
                          size - *persisted_end, records_past, persisted.to_string()),
              false);
    }
  }

  void check_record(const LogPart& part, const LogRecord& record,
                    const std::optional<Offset>& previous) {
    const std::string& file = part.json_path;
    if (previous && !(*previous < record.offset))
      found(
          file, record.pos, "offset_order",
          fmt::format("offset {} is not after the previous record's {}", record.offset, *previous),
          true);
    if (record.offset.tx() == 0)
      found(file, record.pos, "offset_zero",
            fmt::format("offset {} has tx 0, which is the snapshot's virtual range", record.offset),
            true);
    if (!part.holds(record.offset))
      found(file, record.pos, "offset_outside_part",
            fmt::format("offset {} belongs in the other log file of the compaction boundary",
                        record.offset),
            true);
    if (!op_name(record.op_type))
      found(file, record.pos, "op_type",
            fmt::format("op type byte 0x{:02x} is none of i, u, d, c", record.op_type), true);
    else if (record.op_type == 'c' && !record.key.empty())
      found(file, record.pos, "control_key",
            fmt::format("a control record with a {}-byte key (Electric writes none)",
                        record.key.size()),
            true);
    if (record.flag > 1)
      found(file, record.pos, "flag",
            fmt::format("processed flag {} is neither 0 nor 1", record.flag), true);
    if (options_.validate_json) {
      std::string problem = validator_.problem(record.json);
      if (!problem.empty())
        found(file, record.end() - record.json.size(), "json",
              fmt::format("record {}'s json: {}", record.offset, problem), true);
    }
  }

  void check_snapshot() {
    const ShapeMetadata& meta = shape_.metadata;
    const bool complete = meta.last_snapshot_chunk.has_value();
    uint64_t n = 0;
    for (;; ++n) {
      auto file = ReadOnlyFile::open(shape_.snapshot_chunk_path(n));
      if (!file) break;
      SnapshotReader reader(*file);
      std::string_view row;
      std::string padded;
      while (reader.next(row)) {
        ++summary_.snapshot_rows;
        if (!options_.validate_json) continue;
        padded.assign(row);
        padded.resize(row.size() + LogRecordReader::kPadding);
        std::string problem = validator_.problem(std::string_view(padded.data(), row.size()));
        if (!problem.empty())
          found(file->path(), std::nullopt, "snapshot_json",
                fmt::format("row {}: {}", reader.rows(), problem), true);
      }
      if (!reader.terminated()) {
        found(file->path(), reader.problem_pos(), "snapshot_unterminated",
              complete ? reader.problem() + "; the snapshot is recorded as complete"
                       : reader.problem(),
              complete);
      } else if (!reader.problem().empty()) {
        found(file->path(), reader.problem_pos(), "snapshot_framing", reader.problem(), true);
      }
    }
    if (complete && !meta.last_snapshot_chunk->op_infinity && meta.last_snapshot_chunk->op + 1 != n)
      found(shape_.path + "/metadata/last_snapshot_chunk.bin", std::nullopt, "snapshot_chunks",
            fmt::format("last_snapshot_chunk is {}, so chunks 0..{} should exist; found {} "
                        "contiguous chunk files",
                        meta.last_snapshot_chunk->to_string(), meta.last_snapshot_chunk->op, n),
            true);
  }

  const ShapeDir& shape_;
  const CheckOptions& options_;
  const std::function<void(const Finding&)>& report_;
  CheckSummary summary_;
  JsonValidator validator_;
};

}  // namespace

CheckSummary check_shape(const ShapeDir& shape, const CheckOptions& options,
                         const std::function<void(const Finding&)>& report) {
  return Checker(shape, options, report).run();
}

}  // namespace shapelog::electric
