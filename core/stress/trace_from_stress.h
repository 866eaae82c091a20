// Turns a bad read caught by stress into a trace that replay reproduces: the writer ops that
// ran while the read did, on the log as it stood before the first of them, interleaved in
// the order of the recorded points. Only entries the read can see are kept in the initial
// state (at most kMaxInitialPersisted persisted ones; the read's start moves up to match).
#pragma once

#include <optional>
#include <string>

#include "shapelog/trace.h"
#include "stress/stress_run.h"

namespace shapelog {

inline constexpr size_t kMaxInitialPersisted = 64;

// nullopt, with the reason in why_not, when the recording cannot explain the read (the
// writer did nothing between its first and last point, or its history was dropped).
std::optional<Trace> trace_for_bad_read(const StressSummary& summary, ReadStrategy strategy,
                                        uint64_t seed, std::string& why_not);

}  // namespace shapelog
