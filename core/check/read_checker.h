// The verdict on one read (trace format, "Verdict"). Let R be the log's entries inside the
// read's range, in offset order, and V the first `visible` of them: those published before
// the read's first step (publication goes in offset order, so V is a prefix of R). A read is
// correct when its result is a prefix of R (in order, no gaps, no duplicates, equal values)
// that contains all of V.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/entry.h"
#include "log/read_range.h"

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

// One line: "ok: 3 entries", or "race: missing 11_0, 11_1 (2 of 2 visible entries)" with the
// other kinds of damage after it; long lists show their first 5 entries.
std::string describe(const ReadVerdict& verdict);

}  // namespace shapelog
