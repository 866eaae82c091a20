#include "explore/minimize.h"

#include <fmt/format.h>

#include "shapelog/error.h"
#include "shapelog/schedule_policies.h"

namespace shapelog {

namespace {

// Follows a prefix of a schedule, then lets every actor run to completion in listed order.
class PrefixPolicy : public SchedulePolicy {
 public:
  PrefixPolicy(const std::vector<size_t>& schedule, size_t length)
      : schedule_(schedule), length_(length) {}
  std::optional<size_t> next(const Execution&) override {
    if (step_ >= length_) return std::nullopt;
    return schedule_[step_++];
  }

 private:
  const std::vector<size_t>& schedule_;
  size_t length_;
  size_t step_ = 0;
};

// Schedule elements for a run's first `length` steps: one element per run of one actor,
// `until` its last point when that point does not occur earlier in the run.
std::vector<ScheduleElement> schedule_elements(const RunResult& run, size_t length) {
  std::vector<ScheduleElement> elements;
  size_t i = 0;
  while (i < length) {
    size_t j = i;
    while (j + 1 < length && run.timeline[j + 1].actor == run.timeline[i].actor) ++j;
    Point last = run.timeline[j].event.point;
    bool first_occurrence = true;
    for (size_t k = i; k < j; ++k)
      first_occurrence = first_occurrence && run.timeline[k].event.point != last;
    ScheduleElement element{run.timeline[i].actor, ScheduleElement::Kind::Steps, j - i + 1, last};
    if (first_occurrence) element.kind = ScheduleElement::Kind::Until;
    elements.push_back(element);
    i = j + 1;
  }
  return elements;
}

}  // namespace

MinimizedCounterexample minimize_counterexample(const Trace& trace, ReadStrategy strategy,
                                                const Counterexample& found,
                                                const TraceRunner& run) {
  size_t length = found.schedule.size();
  RunResult best = found.run;
  for (size_t prefix = 0; prefix < found.schedule.size(); ++prefix) {
    PrefixPolicy policy(found.schedule, prefix);
    RunResult attempt = run(policy);
    if (attempt.outcome == Outcome::Race && attempt.preemptions() <= found.preemptions) {
      length = prefix;
      best = std::move(attempt);
      break;
    }
  }

  MinimizedCounterexample result{trace, {}};
  result.trace.name = trace.name.empty() ? "counterexample" : trace.name + "-counterexample";
  result.trace.description = fmt::format(
      "Found by shapelog explore: strategy {} loses data with {} preemption{} in this "
      "schedule.{}{}",
      strategy, best.preemptions(), best.preemptions() == 1 ? "" : "s",
      trace.description.empty() ? "" : " Original trace: ", trace.description);
  result.trace.schedule = schedule_elements(best, length);
  result.trace.expect = {{strategy, Outcome::Race}};

  // The trace must replay to the race it claims; anything else is a bug in shapelog.
  ReplayPolicy replay(result.trace);
  result.run = run(replay);
  if (result.run.outcome != Outcome::Race)
    throw Error(ErrorKind::Internal, "the minimized counterexample does not replay as a race");
  return result;
}

}  // namespace shapelog
