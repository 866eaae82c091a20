#include "stress/trace_from_stress.h"

#include <algorithm>

#include <fmt/format.h>

#include "shapelog/schedule_policies.h"
#include "stress/stress_workload.h"

namespace shapelog {

std::optional<Trace> trace_for_bad_read(const StressSummary& summary, ReadStrategy strategy,
                                        uint64_t seed, std::string& why_not) {
  if (!summary.first_bad || summary.first_bad->events.empty()) {
    why_not = "no bad read was recorded (run with recording on)";
    return std::nullopt;
  }
  const BadRead& bad = *summary.first_bad;
  const uint64_t read_start = bad.events.front().seq, read_end = bad.events.back().seq;

  // The writer ops with a point inside the read.
  std::optional<uint64_t> first_op, last_op;
  for (const RecordedPoint& point : summary.writer_events)
    if (point.seq > read_start && point.seq < read_end) {
      if (!first_op) first_op = point.op;
      last_op = point.op;
    }
  if (!first_op) {
    why_not =
        "the writer reached no point while the read ran: the race happened inside a "
        "step, which a schedule of points cannot express";
    return std::nullopt;
  }
  auto op_record = [&](uint64_t op) -> const WriterOp* {
    for (const WriterOp& record : summary.writer_ops)
      if (record.op == op) return &record;
    return nullptr;
  };
  const WriterOp* first = op_record(*first_op);
  if (!first || !op_record(*last_op)) {
    why_not = "the writer's history around the read was already dropped";
    return std::nullopt;
  }

  Trace trace;
  trace.name = fmt::format("stress-{}-seed-{}", strategy, seed);
  trace.description = fmt::format(
      "Recorded by shapelog stress (strategy {}, seed {}): reader r{} read {} entries while the "
      "writer ran these ops; the read went wrong: {}",
      strategy, seed, bad.reader, bad.result.size(), describe(bad.verdict));

  // The initial state: what was persisted and buffered before the first writer op.
  ReadRange range = bad.range;
  uint64_t persisted_end = stress_workload::index_at_or_above(first->last_persisted_before);
  if (!first->last_persisted_before.is_before_all()) ++persisted_end;
  uint64_t seen_end = stress_workload::index_at_or_above(first->last_seen_before);
  if (!first->last_seen_before.is_before_all()) ++seen_end;
  uint64_t range_first = stress_workload::index_at_or_above(range.start);
  if (range_first < persisted_end &&
      !range.above_start(stress_workload::entry_at(range_first).offset))
    ++range_first;
  if (persisted_end > range_first + kMaxInitialPersisted) {
    range_first = persisted_end - kMaxInitialPersisted;
    range = ReadRange{stress_workload::entry_at(range_first).offset, true, range.to};
  }
  for (uint64_t i = std::min(range_first, persisted_end); i < persisted_end; ++i)
    trace.initial_persisted.push_back(stress_workload::entry_at(i));
  for (uint64_t i = persisted_end; i < seen_end; ++i)
    trace.initial_buffered.push_back(stress_workload::entry_at(i));

  Actor writer{"writer", {}};
  for (uint64_t op = *first_op; op <= *last_op; ++op) {
    const WriterOp* record = op_record(op);
    if (!record) {
      why_not = fmt::format("the writer's op {} is missing from its history", op);
      return std::nullopt;
    }
    if (record->flush) writer.ops.push_back(FlushOp{});
    else writer.ops.push_back(AppendOp{stress_workload::transaction(record->tx), std::nullopt});
  }
  trace.actors = {writer, Actor{"reader", {range}}};

  // The interleaving: the points of those ops and of the read, in recorded order.
  std::vector<std::pair<uint64_t, size_t>> steps;
  for (const RecordedPoint& point : summary.writer_events)
    if (point.op >= *first_op && point.op <= *last_op) steps.emplace_back(point.seq, 0);
  for (const RecordedPoint& point : bad.events) steps.emplace_back(point.seq, 1);
  std::sort(steps.begin(), steps.end());
  std::vector<size_t> actors;
  for (const auto& [seq, actor] : steps) actors.push_back(actor);
  trace.schedule = compress_schedule(actors);
  trace.expect = {{strategy, Outcome::Race}};
  return trace;
}

}  // namespace shapelog
