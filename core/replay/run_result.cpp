#include "shapelog/run_result.h"

namespace shapelog {

std::vector<size_t> RunResult::executed_schedule() const {
  std::vector<size_t> actors;
  actors.reserve(timeline.size());
  for (const TimelineRow& row : timeline) actors.push_back(row.actor);
  return actors;
}

uint32_t RunResult::preemptions() const {
  uint32_t count = 0;
  for (size_t i = 1; i < timeline.size(); ++i)
    if (timeline[i].actor != timeline[i - 1].actor && !timeline[i - 1].actor_finished) ++count;
  return count;
}

}  // namespace shapelog
