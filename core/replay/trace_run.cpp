#include "replay/trace_run.h"

#include <algorithm>
#include <memory>

#include "common/error.h"
#include "log/log_reader.h"
#include "log/log_writer.h"
#include "log/shared_buffer.h"

namespace shapelog {

std::vector<size_t> RunResult::executed_schedule() const {
  std::vector<size_t> actors;
  actors.reserve(timeline.size());
  for (const TimelineRow& row : timeline) actors.push_back(row.actor);
  return actors;
}

uint32_t RunResult::preemptions() const {
  uint32_t count = 0;
  for (size_t i = 1; i < timeline.size(); ++i)
    if (timeline[i].actor != timeline[i - 1].actor && !timeline[i - 1].actor_finished) ++count;
  return count;
}

namespace {

// Entries grouped into transactions (consecutive entries with the same tx).
std::vector<std::vector<Entry>> transactions_of(const std::vector<Entry>& entries) {
  std::vector<std::vector<Entry>> transactions;
  for (const Entry& entry : entries) {
    if (transactions.empty() || transactions.back().back().offset.tx() != entry.offset.tx())
      transactions.emplace_back();
    transactions.back().push_back(entry);
  }
  return transactions;
}

// Every entry the run will ever hold, in offset order (the parser checked the order).
std::vector<Entry> all_entries_of(const Trace& trace) {
  std::vector<Entry> entries = trace.initial_persisted;
  entries.insert(entries.end(), trace.initial_buffered.begin(), trace.initial_buffered.end());
  for (const Actor& actor : trace.actors)
    for (const Op& op : actor.ops)
      if (const auto* append = std::get_if<AppendOp>(&op))
        entries.insert(entries.end(), append->entries.begin(), append->entries.end());
  return entries;
}

}  // namespace

uint64_t buffer_capacity_for(const Trace& trace) {
  if (trace.options.contains("buffer_capacity"))
    return trace.options["buffer_capacity"].get<uint64_t>();
  // Small buffers keep explore's thousands of fresh logs cheap.
  uint64_t footprint = 0;
  for (const Entry& entry : all_entries_of(trace)) footprint += SharedBuffer::entry_footprint(entry);
  return std::max<uint64_t>(SharedBuffer::kMinCapacity, 2 * footprint);
}

RunResult run_trace(const Trace& trace, const RunOptions& options, SchedulePolicy& policy) {
  if (!options.fs) throw Error(ErrorKind::Internal, "run_trace without a file system");
  FileSystem& fs = *options.fs;
  RunResult result;
  result.strategy = options.strategy;

  // The initial state is built before the scheduler is installed: it takes no steps.
  WriterOptions writer_options;
  writer_options.flush_threshold = 0;
  writer_options.buffer_capacity = buffer_capacity_for(trace);
  writer_options.holder_note = "shapelog replay";
  auto writer = std::make_unique<LogWriter>(fs, options.dir, writer_options);
  for (const auto& transaction : transactions_of(trace.initial_persisted))
    writer->append(transaction);
  writer->flush();
  for (const auto& transaction : transactions_of(trace.initial_buffered))
    writer->append(transaction);
  result.warnings = writer->warnings();

  const std::vector<Entry> all_entries = all_entries_of(trace);
  size_t published = trace.initial_persisted.size() + trace.initial_buffered.size();
  uint64_t step = 0;

  std::vector<std::unique_ptr<LogReader>> readers;
  std::vector<std::vector<Execution::Op>> actors(trace.actors.size());
  for (size_t a = 0; a < trace.actors.size(); ++a) {
    readers.push_back(std::make_unique<LogReader>(fs, options.dir));
    const std::vector<Op>& ops = trace.actors[a].ops;
    for (size_t o = 0; o < ops.size(); ++o) {
      if (const auto* append = std::get_if<AppendOp>(&ops[o])) {
        actors[a].push_back([&writer, append] { writer->append(append->entries); });
      } else if (std::holds_alternative<FlushOp>(ops[o])) {
        actors[a].push_back([&writer] { writer->flush(); });
      } else {
        const ReadRange range = std::get<ReadOp>(ops[o]);
        actors[a].push_back([&, a, o, range] {
          ReadRecord record{a, o, range, step, {}, {}};
          size_t visible_entries = published;
          readers[a]->read(range, options.strategy, [&record](const EntryView& entry) {
            record.result.push_back(entry.owned());
            return true;
          });
          // R and V as views of the log (sorted), found by binary search: no copies.
          auto by_offset = [](const Entry& e, Offset o) { return e.offset < o; };
          auto begin = std::lower_bound(all_entries.begin(), all_entries.end(), range.start,
                                        by_offset);
          if (begin != all_entries.end() && !range.above_start(begin->offset)) ++begin;
          auto end = all_entries.end();
          if (range.to)
            end = std::upper_bound(begin, all_entries.end(), *range.to,
                                   [](Offset o, const Entry& e) { return o < e.offset; });
          std::span<const Entry> in_range(begin, end);
          size_t first = static_cast<size_t>(begin - all_entries.begin());
          size_t visible = visible_entries > first
                               ? std::min(visible_entries - first, in_range.size())
                               : 0;
          record.verdict = check_read(in_range, visible, record.result);
          result.reads.push_back(std::move(record));
        });
      }
    }
  }

  Execution execution(std::move(actors));
  while (!execution.all_finished()) {
    std::optional<size_t> choice = policy.next(execution);
    if (policy.abandon()) {
      execution.drain();
      result.abandoned = true;
      return result;
    }
    size_t actor = 0;
    if (choice) {
      actor = *choice;
    } else {
      while (execution.finished(actor)) ++actor;
    }
    const PointEvent& event = execution.step(actor);
    result.timeline.push_back(
        {step++, actor, execution.op_index(actor), event, execution.finished(actor)});
    if (event.point == Point::AppendPublish)
      published = static_cast<size_t>(
          std::upper_bound(all_entries.begin(), all_entries.end(), event.last_seen,
                           [](Offset o, const Entry& e) { return o < e.offset; }) -
          all_entries.begin());
    policy.after_step(actor, event);
  }

  std::sort(result.reads.begin(), result.reads.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first_step, x.actor) < std::tie(y.first_step, y.actor);
  });
  for (const ReadRecord& read : result.reads)
    if (!read.verdict.ok) result.outcome = Outcome::Race;
  for (std::string& warning : policy.warnings()) result.warnings.push_back(std::move(warning));
  return result;
}

}  // namespace shapelog
