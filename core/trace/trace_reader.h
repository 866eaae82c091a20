// Reads a trace from its JSON text, checking everything the trace format requires.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shapelog/log_options.h"
#include "shapelog/trace.h"

namespace shapelog {

// All entries of a trace together (initial state and appends, `count` expanded).
inline constexpr uint64_t kMaxTraceEntries = 1'000'000;
// The largest `steps` of one schedule element.
inline constexpr uint64_t kMaxScheduleSteps = 1'000'000'000;

// `source` names the text in messages (usually the file name). Every rejection throws
// Error(BadInput) naming the source and either the line and column (invalid UTF-8 or JSON)
// or the JSON path of the offending value, what was expected there and what was found.
Trace parse_trace(std::string_view text, const std::string& source);

}  // namespace shapelog
