#include "shapelog/trace_run.h"

#include <algorithm>
#include <memory>

#include "buffer/shared_buffer.h"
#include "shapelog/error.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"

namespace shapelog {

namespace {

// Appends entries as transactions: runs of consecutive entries with the same tx.
void append_transactions(LogWriter& writer, const std::vector<Entry>& entries) {
  std::vector<Entry> transaction;
  for (size_t i = 0; i < entries.size(); ++i) {
    transaction.push_back(entries[i]);
    if (i + 1 == entries.size() || entries[i + 1].offset.tx() != entries[i].offset.tx()) {
      writer.append(transaction);
      transaction.clear();
    }
  }
}

// Calls visit(entry) for every entry the run will ever hold, in offset order (the parser
// checked the order).
template <class Visit>
void for_each_entry_of(const Trace& trace, Visit&& visit) {
  for (const Entry& entry : trace.initial_persisted) visit(entry);
  for (const Entry& entry : trace.initial_buffered) visit(entry);
  for (const Actor& actor : trace.actors)
    for (const Op& op : actor.ops)
      if (const auto* append = std::get_if<AppendOp>(&op))
        for (const Entry& entry : append->entries) visit(entry);
}

std::vector<Entry> all_entries_of(const Trace& trace) {
  size_t count = 0;
  for_each_entry_of(trace, [&](const Entry&) { ++count; });
  std::vector<Entry> entries;
  entries.reserve(count);
  for_each_entry_of(trace, [&](const Entry& entry) { entries.push_back(entry); });
  return entries;
}

}  // namespace

uint64_t buffer_capacity_for(const Trace& trace) {
  if (trace.options.buffer_capacity) return *trace.options.buffer_capacity;
  // Small buffers keep explore's thousands of fresh logs cheap.
  uint64_t footprint = 0;
  for_each_entry_of(trace,
                    [&](const Entry& entry) { footprint += SharedBuffer::entry_footprint(entry); });
  return std::max<uint64_t>(kMinBufferCapacity, 2 * footprint);
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
  append_transactions(*writer, trace.initial_persisted);
  writer->flush();
  append_transactions(*writer, trace.initial_buffered);
  result.warnings = writer->warnings();

  const std::vector<Entry> all_entries = all_entries_of(trace);
  size_t published = trace.initial_persisted.size() + trace.initial_buffered.size();
  uint64_t step = 0;

  std::vector<std::vector<Execution::Op>> actors(trace.actors.size());
  for (size_t a = 0; a < trace.actors.size(); ++a) {
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
          // A fresh reader for every read: nothing one read learns can reach the next, so
          // whether a read goes wrong depends only on how its own steps fall among the
          // writer's. explore's per-read split (search_plan.h) rests on this.
          LogReader reader(fs, options.dir);
          reader.read(range, options.strategy, [&record](const EntryView& entry) {
            record.result.push_back(entry.owned());
            return true;
          });
          record.verdict = check_read_in_log(all_entries, visible_entries, range, record.result);
          result.reads.push_back(std::move(record));
        });
      }
    }
  }

  result.initial_writer = {writer->snapshot(), writer->disk_last()};
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
    result.timeline.push_back({step++,
                               actor,
                               execution.op_index(actor),
                               event,
                               execution.finished(actor),
                               {writer->snapshot(), writer->disk_last()}});
    if (event.point == Point::AppendPublish)
      published = static_cast<size_t>(
          std::upper_bound(all_entries.begin(), all_entries.end(), event.last_seen,
                           [](Offset o, const Entry& e) { return o < e.offset; }) -
          all_entries.begin());
    policy.after_step(actor, event);
  }

  policy.after_run(execution);
  std::sort(result.reads.begin(), result.reads.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first_step, x.actor) < std::tie(y.first_step, y.actor);
  });
  for (const ReadRecord& read : result.reads)
    if (!read.verdict.ok) result.outcome = Outcome::Race;
  for (Warning& warning : policy.warnings()) result.warnings.push_back(std::move(warning));
  return result;
}

}  // namespace shapelog
