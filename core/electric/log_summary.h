// One pass over a log file's records for `stat` and `ls`: how many, the first and last
// offset, where a record cut short starts, and what Electric's recovery would cut past the
// last persisted transaction (log_file.ex, trim/3: after the record at that offset, or at
// the first record past it).
#pragma once

#include <cstdint>
#include <optional>

#include "electric/log_offset.h"
#include "electric/shape_dir.h"
#include "shapelog/offset.h"

namespace shapelog::electric {

struct LogSummary {
  bool exists = false;
  uint64_t bytes = 0;
  uint64_t records = 0;
  std::optional<Offset> first, last;
  std::optional<uint64_t> cut_at;  // a record the file holds only part of starts here
  uint64_t persisted_end = 0;      // where recovery would truncate the file
  uint64_t bytes_past_persisted() const { return bytes - persisted_end; }
};

LogSummary summarize_log(const LogPart& part, const LogOffset& last_persisted);

}  // namespace shapelog::electric
