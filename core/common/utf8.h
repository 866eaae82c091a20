// UTF-8 validation for everything users hand us as text (values, trace files).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace shapelog {

// The byte index of the first byte that is not part of valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or nullopt when all is valid.
std::optional<size_t> find_invalid_utf8(std::string_view text);

}  // namespace shapelog
