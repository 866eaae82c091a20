// How many equivalence classes of the whole trace a per-read search covered. Reads of
// different actors combine freely (their steps commute); two consecutive reads of one actor
// combine when the first's last step can come no later than the next one's first step
// (SubproblemStats::spans). The product over actors of the combinations of their reads.
#pragma once

#include "common/big_count.h"
#include "explore/explore_types.h"
#include "shapelog/trace.h"

namespace shapelog {

BigCount whole_trace_classes(const Trace& trace, const SplitStats& split);

}  // namespace shapelog
