// What one run of a trace produced: each step with the writer's state after it, each read
// with its verdict, the warnings and the outcome. Replay prints it; explore searches for one
// whose outcome is not Ok.
#pragma once

#include <cstdint>
#include <vector>

#include "shapelog/entry.h"
#include "shapelog/meta_snapshot.h"
#include "shapelog/read_checker.h"
#include "shapelog/read_range.h"
#include "shapelog/read_strategy.h"
#include "shapelog/trace.h"
#include "shapelog/warning.h"
#include "shapelog/yield_point.h"

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
  std::vector<Warning> warnings;
  WriterView initial_writer;  // before the first step
  Outcome outcome = Outcome::Ok;
  bool abandoned = false;  // the policy ended the run early; reads are not judged

  // The actor of each step, in order: the executed schedule.
  std::vector<size_t> executed_schedule() const;
  // Switches away from an actor that still had steps left.
  uint32_t preemptions() const;
};

}  // namespace shapelog
