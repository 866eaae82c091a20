// Turning what the user gives `shapelog append` (arguments, or stdin lines or NUL-separated
// records) into values, rejecting bad input before anything touches the log.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "shapelog/entry.h"
#include "shapelog/packed_entries.h"

namespace shapelog::cli {

struct RawValue {
  std::string bytes;
  std::string where;  // "argument 2", "line 7", "record 3": for messages
};

// Reads stdin values: lines (a final newline does not start a value) or, with
// nul_separated, NUL-terminated records, validated as to_entries does, in one buffer: the
// memory is the input's plus 9 bytes per value. Throws BadInput naming the line or record.
PackedEntries read_values(std::FILE* input, bool nul_separated, bool require_json);

std::vector<RawValue> argument_values(const std::vector<std::string>& arguments);

// Validates each value (UTF-8, no NUL bytes, size) and decides how it is stored: JSON if it
// parses as JSON, else a string; with require_json a non-JSON value is an error. Throws
// BadInput naming the value's place.
std::vector<Entry> to_entries(const std::vector<RawValue>& values, bool require_json);

}  // namespace shapelog::cli
