// JSON text to a JSON value and back. Parsing gives the errors a person can act on: an empty file,
// the line and column of the first invalid UTF-8 byte or JSON syntax error, the path of a duplicate
// key (which plain parsing would silently resolve to the last one) or of nesting too deep.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shapelog {

// Nesting deeper than this is rejected, so that no later recursive walk can run out of stack.
inline constexpr size_t kMaxJsonDepth = 512;

// Parsing a trace costs at most kTraceParseFactor times its text in memory, plus
// kTraceParseAllowance (measured in tests/test_trace_memory.cpp). Small JSON values cost
// many times their text (a value is 16 bytes, an object member about 100), so the parser
// keeps an estimate of the document it builds and refuses a text whose estimate passes half
// of that: the other half is for the trace built from the document.
inline constexpr uint64_t kTraceParseFactor = 16;
inline constexpr uint64_t kTraceParseAllowance = 16 << 20;

// Throws Error(BadInput) naming `source` for every rejection.
nlohmann::json parse_json_text(std::string_view text, const std::string& source);

// value as one line of compact JSON (no spaces, no newlines), with invalid UTF-8 in its
// strings replaced by U+FFFD instead of throwing: every JSON shapelog prints goes through here.
std::string compact_json(const nlohmann::json& value);

}  // namespace shapelog
