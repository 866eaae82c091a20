// Runs a trace on the real log code: builds the initial log state, turns each actor's ops
// into calls of LogWriter::append / flush and LogReader::read, and steps the actors through
// an Execution in the order a SchedulePolicy chooses. Then judges every read with the
// checker of the trace format's "Verdict" section. Replay and explore both run traces
// through here; only their policies differ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "check/read_checker.h"
#include "log/read_strategy.h"
#include "log/shared_buffer.h"
#include "sched/execution.h"
#include "sched/yield_point.h"
#include "storage/file_system.h"
#include "trace/trace.h"

namespace shapelog {

// The writer's state read from the real writer between steps (not inferred from events).
struct WriterView {
  MetaSnapshot meta;  // last_persisted, last_seen, generation in the shared buffer
  Offset disk_last;   // the last entry on disk
};

struct TimelineRow {
  uint64_t step = 0;
  size_t actor = 0;
  size_t op = 0;  // index into the actor's ops
  PointEvent event;
  bool actor_finished = false;  // this was the actor's last step
  WriterView writer;            // after the step
};

struct ReadRecord {
  size_t actor = 0;
  size_t op = 0;
  ReadRange range;
  uint64_t first_step = 0;  // the step at which the read began
  std::vector<Entry> result;
  ReadVerdict verdict;
};

struct RunResult {
  ReadStrategy strategy = ReadStrategy::Generation;
  std::vector<TimelineRow> timeline;
  std::vector<ReadRecord> reads;
  std::vector<std::string> warnings;
  WriterView initial_writer;  // before the first step
  Outcome outcome = Outcome::Ok;
  bool abandoned = false;  // the policy ended the run early; reads are not judged

  // The actor of each step, in order: the executed schedule.
  std::vector<size_t> executed_schedule() const;
  // Switches away from an actor that still had steps left.
  uint32_t preemptions() const;
};

// Chooses which actor steps next.
class SchedulePolicy {
 public:
  virtual ~SchedulePolicy() = default;
  // The actor to step next (it must not be finished), or nullopt to end the schedule: every
  // unfinished actor then runs to completion, in listed order.
  virtual std::optional<size_t> next(const Execution& execution) = 0;
  // Told after every step, including those after the schedule ended.
  virtual void after_step(size_t /*actor*/, const PointEvent& /*event*/) {}
  // Told once, after the last step of the run (not when it is abandoned).
  virtual void after_run(const Execution& /*execution*/) {}
  // Divergences from the schedule, for the user.
  virtual std::vector<std::string> warnings() const { return {}; }
  // Asked after every next(): true ends the run at once, without verdicts (explore drops an
  // execution that can only repeat one it has already covered).
  virtual bool abandon() const { return false; }
};

struct RunOptions {
  ReadStrategy strategy = kDefaultStrategy;
  FileSystem* fs = nullptr;  // where the log lives: a fresh MemoryFileSystem, or a real one
  std::string dir;           // an empty or missing directory on fs
};

RunResult run_trace(const Trace& trace, const RunOptions& options, SchedulePolicy& policy);

// The buffer capacity a trace asks for (options.buffer_capacity), or one large enough that
// none of its transactions ever waits for room.
uint64_t buffer_capacity_for(const Trace& trace);

}  // namespace shapelog
