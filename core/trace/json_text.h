// JSON text to a JSON value, with the errors a person can act on: an empty file, the line
// and column of the first invalid UTF-8 byte or JSON syntax error, the path of a duplicate
// key (which plain parsing would silently resolve to the last one) or of nesting too deep.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace shapelog {

// Nesting deeper than this is rejected, so that no later recursive walk can run out of stack.
inline constexpr size_t kMaxJsonDepth = 512;

// Throws Error(BadInput) naming `source` for every rejection.
nlohmann::json parse_json_text(std::string_view text, const std::string& source);

}  // namespace shapelog
