#include "explore/placement_cost.h"

#include <algorithm>
#include <limits>

#include "explore/step_footprint.h"

namespace shapelog {

std::vector<StepWindow> step_windows(const std::vector<uint32_t>& earliest,
                                     const std::vector<Point>& read_points,
                                     const std::vector<Point>& writer_points) {
  const uint32_t n = static_cast<uint32_t>(writer_points.size());
  std::vector<StepWindow> windows(earliest.size());
  for (size_t i = 0; i < earliest.size(); ++i) {
    uint32_t latest = earliest[i];
    while (latest < n && steps_commute(writer_points[latest], read_points[i])) ++latest;
    windows[i] = {earliest[i], latest};
  }
  return windows;
}

uint32_t fewest_preemptions(const std::vector<StepWindow>& windows, uint32_t writer_steps,
                            std::vector<uint32_t>& placements) {
  constexpr uint32_t kUnreachable = std::numeric_limits<uint32_t>::max();
  const uint32_t n = writer_steps;
  const size_t m = windows.size();
  placements.assign(m, 0);
  if (m == 0) return 0;
  // cost[i][v - earliest]: fewest preemptions up to step i with step i after v writer steps;
  // from[i][...]: the placement of step i-1 that gives it.
  std::vector<std::vector<uint32_t>> cost(m), from(m);
  auto width = [&](size_t i) { return windows[i].latest - windows[i].earliest + 1; };
  for (size_t i = 0; i < m; ++i) {
    cost[i].assign(width(i), kUnreachable);
    from[i].assign(width(i), 0);
    for (uint32_t v = windows[i].earliest; v <= windows[i].latest; ++v) {
      uint32_t& best = cost[i][v - windows[i].earliest];
      if (i == 0) {
        best = v > 0 && v < n ? 1 : 0;  // the writer ran first and is cut off
        continue;
      }
      for (uint32_t u = windows[i - 1].earliest; u <= std::min(v, windows[i - 1].latest); ++u) {
        uint32_t previous = cost[i - 1][u - windows[i - 1].earliest];
        if (previous == kUnreachable) continue;
        // A new block of read steps: the read is cut off (it has steps left), and the writer
        // too unless it has finished.
        uint32_t total = previous + (u == v ? 0 : 1 + (v < n ? 1 : 0));
        if (total < best) {
          best = total;
          from[i][v - windows[i].earliest] = u;
        }
      }
    }
  }
  const std::vector<uint32_t>& last = cost[m - 1];
  size_t at = std::min_element(last.begin(), last.end()) - last.begin();
  const uint32_t fewest = last[at];
  uint32_t v = windows[m - 1].earliest + static_cast<uint32_t>(at);
  for (size_t i = m; i-- > 0;) {
    placements[i] = v;
    if (i > 0) v = from[i][v - windows[i].earliest];
  }
  return fewest;
}

}  // namespace shapelog
