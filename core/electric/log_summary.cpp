#include "electric/log_summary.h"

#include "electric/log_record_reader.h"
#include "electric/read_only_file.h"

namespace shapelog::electric {

LogSummary summarize_log(const LogPart& part, const LogOffset& last_persisted) {
  LogSummary summary;
  auto file = ReadOnlyFile::open(part.json_path);
  if (!file) return summary;
  summary.exists = true;
  file->expect_sequential();
  LogRecordReader reader(*file);
  LogRecord record;
  bool trimmed = false;  // recovery's cut point found
  LogRecordReader::Status status;
  while ((status = reader.next(record)) == LogRecordReader::Status::Record) {
    if (!summary.first) summary.first = record.offset;
    summary.last = record.offset;
    ++summary.records;
    if (!trimmed) {
      if (last_persisted.is_before(record.offset)) {
        summary.persisted_end = record.pos;
        trimmed = true;
      } else {
        summary.persisted_end = record.end();
        trimmed = last_persisted.is_at(record.offset);
      }
    }
  }
  if (status == LogRecordReader::Status::Cut) summary.cut_at = reader.position();
  summary.bytes = std::max(file->size(), reader.position());
  return summary;
}

}  // namespace shapelog::electric
