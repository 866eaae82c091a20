#include "replay/schedule_policies.h"

#include <fmt/format.h>

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

std::string ReplayPolicy::element_text(size_t index) const {
  const ScheduleElement& e = schedule_[index];
  const std::string& name = trace_.actors[e.actor].name;
  switch (e.kind) {
    case ScheduleElement::Kind::Steps:
      return fmt::format("schedule[{}] ({} for {} step{})", index, name, e.steps,
                         e.steps == 1 ? "" : "s");
    case ScheduleElement::Kind::Until:
      return fmt::format("schedule[{}] ({} until {})", index, name, e.until);
    case ScheduleElement::Kind::Done:
      return fmt::format("schedule[{}] ({} until done)", index, name);
  }
  return {};
}

void ReplayPolicy::finish_element(const std::string& problem) {
  if (!problem.empty()) warnings_.push_back(fmt::format("{}: {}", element_text(element_), problem));
  ++element_;
  steps_taken_ = 0;
  element_done_ = false;
}

std::optional<size_t> ReplayPolicy::next(const Execution& execution) {
  while (element_ < schedule_.size()) {
    const ScheduleElement& e = schedule_[element_];
    const std::string& name = trace_.actors[e.actor].name;
    if (element_done_) {
      finish_element("");
      continue;
    }
    if (execution.finished(e.actor)) {
      if (steps_taken_ == 0) {
        finish_element(fmt::format("{} has already finished; the element does nothing", name));
      } else if (e.kind == ScheduleElement::Kind::Until) {
        finish_element(fmt::format("{} finished without reaching {}", name, e.until));
      } else if (e.kind == ScheduleElement::Kind::Steps) {
        finish_element(
            fmt::format("{} finished after {} of {} steps", name, steps_taken_, e.steps));
      } else {
        finish_element("");
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
