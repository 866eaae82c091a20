// The schedule policies of replay: follow a trace's schedule, or run the actors one after
// another when it has none.
#pragma once

#include <optional>
#include <vector>

#include "shapelog/trace.h"
#include "shapelog/trace_run.h"
#include "shapelog/warning.h"

namespace shapelog {

// Follows a trace's schedule element by element (trace format, "Schedule"). Divergences
// (an `until` point never reached, a finished actor scheduled) become warnings naming the
// element.
class ReplayPolicy : public SchedulePolicy {
 public:
  explicit ReplayPolicy(const Trace& trace);
  std::optional<size_t> next(const Execution& execution) override;
  void after_step(size_t actor, const PointEvent& event) override;
  // The run stops asking next() once every actor has finished; the schedule's elements not
  // yet consumed then each did nothing, or less than they asked, and each warns.
  void after_run(const Execution& execution) override { next(execution); }
  std::vector<Warning> warnings() const override { return warnings_; }

 private:
  void finish_element(std::optional<Warning> divergence);
  warning::ScheduleElementRef element_ref() const;  // the current element

  const Trace& trace_;
  std::vector<ScheduleElement> schedule_;
  size_t element_ = 0;
  uint64_t steps_taken_ = 0;  // in the current element
  bool element_done_ = false;
  std::vector<Warning> warnings_;
};

// Compresses an executed schedule (the actor of each step) into schedule elements: a run of
// steps of one actor becomes one element.
std::vector<ScheduleElement> compress_schedule(const std::vector<size_t>& actors);

}  // namespace shapelog
