#include "trace/closest_name.h"

#include <algorithm>
#include <vector>

namespace shapelog {

namespace {

// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string_view> closest_name(std::string_view name,
                                             std::span<const std::string_view> known) {
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  for (std::string_view candidate : known) {
    // Lengths more than 2 apart are more than 2 edits apart: skip the table (and keep a
    // long hostile name from costing a large one).
    if (name.size() > candidate.size() + 2 || candidate.size() > name.size() + 2) continue;
    size_t distance = edit_distance(name, candidate);
    if (distance < best_distance && distance <= candidate.size() / 2) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace shapelog
