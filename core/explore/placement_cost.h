// Where a read's steps may fall among the writer's steps without changing the equivalence
// class, and the fewest preemptions a schedule of that class needs.
//
// In a search of the writer with one read, a schedule is fixed by its placements: p[i], the
// number of writer steps before the read's step i (non-decreasing). Step i can move between
// window[i].earliest and window[i].latest writer steps without passing a writer step it
// conflicts with, so every placement inside the windows is the same class.
#pragma once

#include <cstdint>
#include <vector>

#include "shapelog/point.h"

namespace shapelog {

struct StepWindow {
  uint32_t earliest = 0;
  uint32_t latest = 0;
};

// The windows of a class from its earliest placements and the points the read's steps end at.
std::vector<StepWindow> step_windows(const std::vector<uint32_t>& earliest,
                                     const std::vector<Point>& read_points,
                                     const std::vector<Point>& writer_points);

// The fewest preemptions of any schedule of the class, and placements that achieve it.
// Switching away from the writer costs one unless it has finished; switching away from the
// read costs one unless the read has finished.
uint32_t fewest_preemptions(const std::vector<StepWindow>& windows, uint32_t writer_steps,
                            std::vector<uint32_t>& placements);

}  // namespace shapelog
