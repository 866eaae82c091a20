// Reading trace files: bounded in size, every problem a BadInput error naming the file.
#pragma once

#include <cstdint>
#include <string>

#include "shapelog/trace.h"

namespace shapelog {

// Trace files above this size are refused before they are parsed (--max-trace-bytes raises
// it): parsing costs up to kTraceParseFactor times the file's size in memory.
inline constexpr uint64_t kDefaultMaxTraceBytes = 32 << 20;

// The whole text of a trace file; throws BadInput naming the file for every problem, also
// when it holds more than max_bytes (a pipe or device is read up to that many, no more).
std::string read_trace_text(const std::string& path, uint64_t max_bytes = kDefaultMaxTraceBytes);

// Reads and parses a trace file, with read_trace_text's limits and errors.
Trace load_trace_file(const std::string& path, uint64_t max_bytes = kDefaultMaxTraceBytes);

}  // namespace shapelog
