// UTF-8 validation for everything users hand us as text (values, trace files), and the
// safe form of bytes for messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace shapelog {

// The byte index of the first byte that is not part of valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or nullopt when all is valid.
std::optional<size_t> find_invalid_utf8(std::string_view text);

// bytes from a file or an input, safe to show in a message: printable ASCII and valid UTF-8
// as they are (a backslash doubled), every other byte, and code points a terminal would act
// on, as \xNN; cut after max_bytes, with "..." to say so.
std::string printable_excerpt(std::string_view bytes, size_t max_bytes = 40);

}  // namespace shapelog
