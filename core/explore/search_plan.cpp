#include "explore/search_plan.h"

#include <fmt/format.h>

#include "shapelog/log_reader.h"

namespace shapelog {

SearchPlan plan_search(const Trace& trace, ReadStrategy strategy, bool (*writes_state)(Point)) {
  SearchPlan plan;
  for (Point point : LogReader::points_of(strategy))
    if (writes_state(point)) {
      plan.reason = fmt::format(
          "a read under {} writes shared state at {}, so reads can change "
          "one another's outcome",
          strategy, point);
      return plan;
    }

  const std::optional<size_t> writer = trace.writer_index();
  for (size_t a = 0; a < trace.actors.size(); ++a) {
    if (a == writer) continue;
    const std::vector<Op>& ops = trace.actors[a].ops;
    for (size_t o = 0; o < ops.size(); ++o) {
      const ReadRange& range = std::get<ReadOp>(ops[o]);  // only the writer appends or flushes
      ++plan.reads;
      auto same = std::find_if(plan.subproblems.begin(), plan.subproblems.end(),
                               [&](const Subproblem& s) { return s.range == range; });
      if (same != plan.subproblems.end()) {
        same->reads.emplace_back(a, o);
        continue;
      }
      Subproblem subproblem;
      subproblem.range = range;
      subproblem.reads.emplace_back(a, o);
      subproblem.trace = trace;
      subproblem.trace.schedule.reset();
      // The two actors keep their listed order, which decides who runs first when a
      // schedule ends.
      Actor reader{trace.actors[a].name, {range}};
      if (!writer) {
        subproblem.trace.actors = {reader};
      } else if (*writer < a) {
        subproblem.trace.actors = {trace.actors[*writer], reader};
        subproblem.writer = 0;
        subproblem.reader = 1;
      } else {
        subproblem.trace.actors = {reader, trace.actors[*writer]};
        subproblem.writer = 1;
      }
      plan.subproblems.push_back(std::move(subproblem));
    }
  }
  if (plan.reads == 0) {
    plan.reason = "no actor but the writer reads";
    return plan;
  }
  plan.split = true;
  return plan;
}

}  // namespace shapelog
