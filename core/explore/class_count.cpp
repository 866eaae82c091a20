#include "explore/class_count.h"

#include <map>

namespace shapelog {

namespace {

using Spans = std::map<std::pair<uint32_t, uint32_t>, uint64_t>;

// The combined classes of one actor's reads, by where its last read's last step falls.
std::map<uint32_t, BigCount> combine(const std::vector<const Spans*>& reads) {
  std::map<uint32_t, BigCount> by_last;
  for (size_t r = 0; r < reads.size(); ++r) {
    std::map<uint32_t, BigCount> next;
    // Running totals of by_last over increasing positions, for "first's last <= next's first".
    std::vector<std::pair<uint32_t, BigCount>> running;
    BigCount total;
    for (const auto& [last, count] : by_last) {
      total += count;
      running.emplace_back(last, total);
    }
    for (const auto& [span, count] : *reads[r]) {
      const auto [latest_first, last] = span;
      if (r == 0) {
        next[last] += count;
        continue;
      }
      auto it = std::upper_bound(running.begin(), running.end(), latest_first,
                                 [](uint32_t v, const auto& entry) { return v < entry.first; });
      if (it == running.begin()) continue;
      next[last] += BigCount(count) * std::prev(it)->second;
    }
    by_last = std::move(next);
  }
  return by_last;
}

}  // namespace

BigCount whole_trace_classes(const Trace& trace, const SplitStats& split) {
  std::map<std::pair<size_t, size_t>, const Spans*> spans_of;
  for (const SubproblemStats& subproblem : split.subproblems)
    for (const auto& read : subproblem.reads) spans_of[read] = &subproblem.spans;
  BigCount product = 1;
  for (size_t a = 0; a < trace.actors.size(); ++a) {
    std::vector<const Spans*> reads;
    for (size_t o = 0; o < trace.actors[a].ops.size(); ++o)
      if (auto it = spans_of.find({a, o}); it != spans_of.end()) reads.push_back(it->second);
    if (reads.empty()) continue;
    BigCount combinations;
    for (const auto& [last, count] : combine(reads)) combinations += count;
    product = product * combinations;
  }
  return product;
}

}  // namespace shapelog
