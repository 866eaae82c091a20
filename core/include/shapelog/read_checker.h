// The verdict on one read (trace format, "Verdict"). Let R be the log's entries inside the
// read's range, in offset order, and V the first `visible` of them: those published before
// the read's first step (publication goes in offset order, so V is a prefix of R). A read is
// correct when its result is a prefix of R (in order, no gaps, no duplicates, equal values)
// that contains all of V.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "shapelog/entry.h"
#include "shapelog/read_range.h"

namespace shapelog {

struct ReadVerdict {
  bool ok = true;
  size_t returned = 0;  // entries in the result
  size_t visible = 0;   // |V|
  // Entries of V not returned, and entries of R skipped below the highest returned offset.
  std::vector<Entry> missing;
  size_t missing_visible = 0;       // how many of `missing` are in V
  std::vector<Entry> extra;         // returned, but not in R
  std::vector<Entry> duplicated;    // returned again after an entry with the same offset
  std::vector<Entry> out_of_order;  // returned after an entry with a higher offset
  std::vector<std::pair<Entry, Entry>> wrong_value;  // (expected, got)
};

// The entries of `log` (in strictly increasing offset order) inside `range`: R, or, given the
// entries published when the read began, V. For a log in which the first `published` entries
// were visible when the read started:
//   auto in_range = entries_in_range(log, range);
//   size_t visible = entries_in_range(std::span(log).first(published), range).size();
std::vector<Entry> entries_in_range(std::span<const Entry> log, const ReadRange& range);

// `in_range` is R in strictly increasing offset order; `visible` <= its size. Throws
// Error(Internal) when either precondition fails.
ReadVerdict check_read(std::span<const Entry> in_range, size_t visible,
                       std::span<const Entry> result);

// How many of R's first entries the verdict looks at: all of V, and every entry up to the
// highest offset returned. Beyond them no entry can be missing or match a returned one, so
// check_read on R cut there gives the verdict on the whole of R in O(|result| + |V|), however
// far an open-ended range reaches. `count_up_to(offset)` is how many of R's entries are at or
// below `offset`.
template <class CountUpTo>
size_t verdict_extent(size_t visible, std::span<const Entry> result, CountUpTo&& count_up_to) {
  auto highest = std::max_element(result.begin(), result.end(), [](const Entry& a, const Entry& b) {
    return a.offset < b.offset;
  });
  return highest == result.end() ? visible : std::max(visible, count_up_to(highest->offset));
}

// The verdict on a read of a log held in memory: `log` in strictly increasing offset order
// (the caller's promise; not checked), of which the first `published` entries had been
// published when the read began. R is the slice of `log` inside `range`, cut at its
// verdict_extent.
ReadVerdict check_read_in_log(std::span<const Entry> log, size_t published, const ReadRange& range,
                              std::span<const Entry> result);

// One line: "ok: 3 entries", or "race: missing 11_0, 11_1 (2 of 2 visible entries)" with the
// other kinds of damage after it; long lists show their first 5 entries.
std::string describe(const ReadVerdict& verdict);

}  // namespace shapelog
