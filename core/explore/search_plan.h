// Whether a complete search of a trace can be split into one search per read, and the
// subproblems if so.
//
// The argument. Take a trace whose readers only read: no step any reader can take under the
// strategy writes shared state (step_footprint.h), and every read runs on a fresh LogReader
// (run_trace), so a reader carries nothing from one read to the next. Then
//   1. every reader step commutes with every step of every other reader, so a schedule's
//      equivalence class is fixed by where each read's steps fall among the writer's steps;
//   2. what a read returns depends only on the writer steps before each of its steps: its
//      own earlier steps are the only other input, and no other reader can change what it
//      sees;
//   3. the writer's steps never depend on a reader (readers write nothing it reads).
// So a read goes wrong in some schedule of the trace if and only if it goes wrong in some
// schedule of the writer's ops with that read alone. Searching each read once against the
// writer covers every schedule of the whole trace, and two reads of the same range are the
// same question. It also covers every trace that has the same writer ops and any number of
// readers issuing any of these reads in any order: (1)-(3) do not depend on which readers
// there are.
//
// When the condition fails (a strategy whose read steps write shared state, such as a reader
// that registers itself for an RCU-style deferred trim) the whole trace is searched instead.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shapelog/point.h"
#include "shapelog/read_strategy.h"
#include "shapelog/trace.h"

namespace shapelog {

struct Subproblem {
  ReadRange range;
  std::vector<std::pair<size_t, size_t>> reads;  // (actor, op) of the reads it stands for
  Trace trace;                   // the writer's actor (if any) and one actor with the read
  std::optional<size_t> writer;  // actor indexes in `trace`
  size_t reader = 0;
};

struct SearchPlan {
  bool split = false;
  std::string reason;                   // why the whole trace is searched, when it is
  std::vector<Subproblem> subproblems;  // in the order of the reads' first appearance
  uint64_t reads = 0;                   // reads outside the writer
};

// writes_state tells whether a step ending at a point writes shared state; a parameter so
// that tests can try a strategy whose reads do.
SearchPlan plan_search(const Trace& trace, ReadStrategy strategy, bool (*writes_state)(Point));

}  // namespace shapelog
