#include "shapelog/schedule_policies.h"

namespace shapelog {

namespace {

// Without a schedule the actors run one after another, each to completion.
std::vector<ScheduleElement> sequential_schedule(const Trace& trace) {
  std::vector<ScheduleElement> schedule;
  for (size_t a = 0; a < trace.actors.size(); ++a)
    schedule.push_back({a, ScheduleElement::Kind::Done, 1, Point::AppendBuffer});
  return schedule;
}

}  // namespace

ReplayPolicy::ReplayPolicy(const Trace& trace)
    : trace_(trace), schedule_(trace.schedule ? *trace.schedule : sequential_schedule(trace)) {}

warning::ScheduleElementRef ReplayPolicy::element_ref() const {
  const ScheduleElement& e = schedule_[element_];
  warning::ScheduleElementRef ref{element_, trace_.actors[e.actor].name, {}, "done"};
  if (e.kind == ScheduleElement::Kind::Steps) ref.steps = e.steps;
  if (e.kind == ScheduleElement::Kind::Until) ref.until = point_name(e.until);
  return ref;
}

void ReplayPolicy::finish_element(std::optional<Warning> divergence) {
  if (divergence) warnings_.push_back(std::move(*divergence));
  ++element_;
  steps_taken_ = 0;
  element_done_ = false;
}

std::optional<size_t> ReplayPolicy::next(const Execution& execution) {
  while (element_ < schedule_.size()) {
    const ScheduleElement& e = schedule_[element_];
    if (element_done_) {
      finish_element({});
      continue;
    }
    if (execution.finished(e.actor)) {
      if (steps_taken_ == 0) {
        finish_element(warning::ActorAlreadyFinished{element_ref()});
      } else if (e.kind == ScheduleElement::Kind::Until) {
        finish_element(warning::UntilNotReached{element_ref()});
      } else if (e.kind == ScheduleElement::Kind::Steps) {
        finish_element(warning::StepsRanOut{element_ref(), steps_taken_});
      } else {
        finish_element({});
      }
      continue;
    }
    return e.actor;
  }
  return std::nullopt;
}

void ReplayPolicy::after_step(size_t actor, const PointEvent& event) {
  if (element_ >= schedule_.size()) return;
  const ScheduleElement& e = schedule_[element_];
  if (actor != e.actor) return;
  ++steps_taken_;
  if (e.kind == ScheduleElement::Kind::Steps && steps_taken_ >= e.steps) element_done_ = true;
  if (e.kind == ScheduleElement::Kind::Until && event.point == e.until) element_done_ = true;
}

std::vector<ScheduleElement> compress_schedule(const std::vector<size_t>& actors) {
  std::vector<ScheduleElement> schedule;
  for (size_t actor : actors) {
    if (!schedule.empty() && schedule.back().actor == actor) ++schedule.back().steps;
    else schedule.push_back({actor, ScheduleElement::Kind::Steps, 1, Point::AppendBuffer});
  }
  return schedule;
}

}  // namespace shapelog
