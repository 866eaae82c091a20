#include "electric/chunk_cursor.h"

#include <fmt/format.h>

namespace shapelog::electric {

ChunkCursor::ChunkCursor(const ChunkIndex& index, const LogOffset& last_persisted,
                         ChunkReport report)
    : index_(index), last_persisted_(last_persisted), report_(std::move(report)) {
  load(0);
}

void ChunkCursor::load(uint64_t n) {
  previous_ = entry_;
  n_ = n;
  start_checked_ = false;
  if (n >= index_.count()) {
    entry_.reset();
    return;
  }
  entry_ = index_.entry(n);
  const ChunkEntry& e = *entry_;
  if (e.closed && !(e.start_pos < e.end_pos))
    report_("chunk_positions", entry_pos(),
            fmt::format("chunk {} starts at byte {} and ends at byte {}: not after its start", n,
                        e.start_pos, e.end_pos),
            true);
  if (e.closed && e.max < e.min)
    report_("chunk_offsets", entry_pos(),
            fmt::format("chunk {} has max {} below its min {}", n, e.max, e.min), true);
  const uint64_t expected_start = previous_ ? previous_->end_pos : 0;
  if (e.start_pos != expected_start)
    report_(e.start_pos > expected_start ? "chunk_gap" : "chunk_overlap", entry_pos(),
            n == 0 ? fmt::format("the first chunk starts at byte {}, not 0", e.start_pos)
                   : fmt::format("chunk {} starts at byte {}, chunk {} ended at byte {}", n,
                                 e.start_pos, n - 1, expected_start),
            true);
  if (previous_ && !(previous_->max < e.min))
    report_("chunk_offsets", entry_pos(),
            fmt::format("chunk {} starts at offset {}, not after chunk {}'s max {}", n, e.min,
                        n - 1, previous_->max),
            true);
}

void ChunkCursor::on_record(const LogRecord& record) {
  const uint64_t end = record.end();
  bool covered = false;
  while (entry_) {
    const ChunkEntry& e = *entry_;
    if (!start_checked_) {
      if (e.start_pos > record.pos) break;  // this record is before the chunk
      start_checked_ = true;
      if (e.start_pos < record.pos)
        report_("chunk_misaligned", entry_pos(),
                fmt::format("chunk {}'s start_pos {} is not on a record boundary (the records "
                            "around it start at bytes before {} and at {})",
                            n_, e.start_pos, record.pos, record.pos),
                true);
      else if (!(record.offset == e.min))
        report_("chunk_min", entry_pos(),
                fmt::format("chunk {}'s min is {}, its first record (byte {}) is {}", n_, e.min,
                            record.pos, record.offset),
                true);
    }
    covered = true;
    if (!e.closed || e.end_pos > end) return;  // the record is inside this chunk
    if (e.end_pos == end) {
      if (!(record.offset == e.max))
        report_("chunk_max", entry_pos() + kChunkHalfBytes,
                fmt::format("chunk {}'s max is {}, its last record (byte {}) is {}", n_, e.max,
                            record.pos, record.offset),
                true);
      advance();
      return;
    }
    report_("chunk_misaligned", entry_pos() + kChunkHalfBytes,
            fmt::format("chunk {}'s end_pos {} is not on a record boundary (the record at byte "
                        "{} ends at {})",
                        n_, e.end_pos, record.pos, end),
            true);
    advance();
  }
  if (!covered && uncovered_++ == 0) first_uncovered_ = record.pos;
}

void ChunkCursor::finish(uint64_t log_end) {
  if (uncovered_)
    report_("records_not_indexed", entry_pos(),
            fmt::format("{} record(s) from byte {} of the log are in no chunk", uncovered_,
                        first_uncovered_),
            true);
  for (; entry_; advance()) {
    const ChunkEntry& e = *entry_;
    const bool starts_past = !start_checked_ && e.start_pos >= log_end;
    if (!starts_past && (!e.closed || e.end_pos <= log_end)) continue;
    // A live writer writes a chunk's halves before the log flush that holds its records:
    // past the last persisted offset, that is a write in progress (recovery drops it).
    const Offset& bound = starts_past ? e.min : e.max;
    const bool pending = last_persisted_.is_before(bound);
    report_(pending ? "chunk_unpersisted" : "chunk_past_log",
            entry_pos() + (starts_past ? 0 : kChunkHalfBytes),
            fmt::format("chunk {} {} at byte {}, past the end of the log's whole records (byte "
                        "{}){}",
                        n_, starts_past ? "starts" : "ends", starts_past ? e.start_pos : e.end_pos,
                        log_end,
                        pending ? fmt::format("; its offset {} is after last_persisted_txn_offset "
                                              "{}: a write in progress, which Electric's "
                                              "recovery would trim",
                                              bound, last_persisted_.to_string())
                                : ""),
            !pending);
    start_checked_ = true;
  }
}

}  // namespace shapelog::electric
