#include "common/utf8.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace shapelog {

namespace {

// The length of the valid UTF-8 sequence of two or more bytes at s[i], or 0.
size_t sequence_length(const unsigned char* s, size_t n, size_t i) {
  unsigned char c = s[i];
  size_t length;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;   // no overlong forms
    if (c == 0xED) high = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > n) return 0;
  if (s[i + 1] < low || s[i + 1] > high) return 0;
  for (size_t k = 2; k < length; ++k)
    if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
  return length;
}

// Valid, but a terminal acts on it or shows it misleadingly: C1 controls (U+0080..U+009F,
// CSI among them), bidirectional overrides and isolates, line and paragraph separators.
bool is_unsafe_code_point(const unsigned char* at, size_t length) {
  uint32_t cp = length == 2   ? ((at[0] & 0x1Fu) << 6) | (at[1] & 0x3Fu)
                : length == 3 ? ((at[0] & 0x0Fu) << 12) | ((at[1] & 0x3Fu) << 6) | (at[2] & 0x3Fu)
                              : 0x10000;
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

}  // namespace

std::string printable_excerpt(std::string_view bytes, size_t max_bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = std::min(bytes.size(), max_bytes);
  std::string out;
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c >= 0x20 && c < 0x7F) {
      if (c == '\\') out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    const size_t length = c >= 0x80 ? sequence_length(s, bytes.size(), i) : 0;
    if (length > 0 && i + length <= n && !is_unsafe_code_point(s + i, length)) {
      out.append(bytes.substr(i, length));
      i += length;
      continue;
    }
    const size_t escaped = length > 0 && i + length <= n ? length : 1;
    for (size_t k = 0; k < escaped; ++k) out += fmt::format("\\x{:02x}", s[i + k]);
    i += escaped;
  }
  if (bytes.size() > max_bytes) out += "...";
  return out;
}

std::optional<size_t> find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const size_t length = sequence_length(s, n, i);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

}  // namespace shapelog
