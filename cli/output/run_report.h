// How a trace run is shown: the timeline table (one column per actor, one row per step),
// the verdict per read, and the JSON document for scripts. Shared by replay and explore.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "shapelog/run_result.h"
#include "shapelog/trace.h"

namespace shapelog::cli {

// "read.snapshot  persisted=10_0 seen=11_1 gen=1": what a step saw or did.
std::string describe_step(const PointEvent& event);

// "race" or "ok", padded to width, in red or green when colour is on (color.h).
std::string outcome_text(Outcome outcome, size_t width = 0);

// The timeline table, the reads with their verdicts, and the outcome line.
std::string render_run(const Trace& trace, const RunResult& run);

nlohmann::json run_to_json(const Trace& trace, const RunResult& run);

}  // namespace shapelog::cli
