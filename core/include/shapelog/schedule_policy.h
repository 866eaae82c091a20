// What chooses the order of steps: the one interface that replay (follow a trace), explore
// (search the interleavings) and minimize (shorten a schedule) each implement.
#pragma once

#include <optional>
#include <vector>

#include "shapelog/execution.h"
#include "shapelog/warning.h"
#include "shapelog/yield_point.h"

namespace shapelog {

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
  virtual std::vector<Warning> warnings() const { return {}; }
  // Asked after every next(): true ends the run at once, without verdicts (explore drops an
  // execution that can only repeat one it has already covered).
  virtual bool abandon() const { return false; }
};

}  // namespace shapelog
