#include "trace/json_text.h"

#include <algorithm>
#include <optional>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "shapelog/error.h"
#include "trace/json_path.h"

namespace shapelog {

namespace {

using nlohmann::json;

struct TextPosition {
  size_t line;    // 1-based
  size_t column;  // 1-based, in bytes
};

TextPosition position_at(std::string_view text, size_t index) {
  index = std::min(index, text.size());
  std::string_view before = text.substr(0, index);
  size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  size_t line_start = before.rfind('\n');
  size_t column = line_start == std::string_view::npos ? index + 1 : index - line_start;
  return {line, column};
}

// The index of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid), if any.
std::optional<size_t> first_invalid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point;
    uint32_t smallest;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, code_point = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code_point = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code_point = lead & 0x07, smallest = 0x10000;
    } else {
      return i;
    }
    if (text.size() - i < length) return i;
    for (size_t k = 1; k < length; ++k) {
      auto continuation = static_cast<unsigned char>(text[i + k]);
      if ((continuation & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (continuation & 0x3F);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF))
      return i;
    i += length;
  }
  return std::nullopt;
}

// nlohmann's message without its "[json.exception...] parse error at line 1, column 4: "
// prefix: the caller states the position itself.
std::string parser_message(const json::exception& error) {
  std::string_view message = error.what();
  if (auto bracket = message.find("] "); bracket != std::string_view::npos)
    message.remove_prefix(bracket + 2);
  if (message.starts_with("parse error")) {
    if (auto colon = message.find(": "); colon != std::string_view::npos)
      message.remove_prefix(colon + 2);
  }
  return std::string(message);
}

// A SAX handler that builds the document like nlohmann's own DOM parser, and also rejects
// duplicate keys and deep nesting, and reports syntax errors with their line and column.
class DocumentBuilder {
 public:
  DocumentBuilder(std::string_view text, const std::string& source)
      : text_(text), source_(source) {}

  json take() { return std::move(root_); }

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(json::number_integer_t value) { return add(value); }
  bool number_unsigned(json::number_unsigned_t value) { return add(value); }
  bool number_float(json::number_float_t value, const json::string_t&) { return add(value); }
  bool string(json::string_t& value) { return add(std::move(value)); }
  bool binary(json::binary_t& value) { return add(json::binary(std::move(value))); }

  bool start_object(size_t) { return open(json::object()); }
  bool start_array(size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& key) {
    if (open_.back()->contains(key))
      throw_bad_input(
          fmt::format("{}: {}: duplicate field \"{}\"; each field may appear once in an object",
                      source_, json_path_key(path(), key), key));
    charge(kMemberBytes + (key.size() > 15 ? key.size() + 17 : 0));
    keys_.back() = std::move(key);
    return true;
  }

  bool parse_error(size_t position, const std::string&, const json::exception& error) {
    // `position` counts the bytes read, so it is one past the end when the text ran out.
    size_t index = position == 0 ? 0 : position - 1;
    TextPosition at = position_at(text_, index);
    std::string hint = index >= text_.size()
                           ? "; the text ends before the JSON document is complete (truncated?)"
                           : "";
    throw_bad_input(fmt::format("{}:{}:{}: invalid JSON: {}{}", source_, at.line, at.column,
                                parser_message(error), hint));
  }

 private:
  template <typename Value>
  bool add(Value&& value) {
    if constexpr (std::is_same_v<std::decay_t<Value>, json::string_t>)
      charge(kStringBytes + (value.size() > 15 ? value.size() + 17 : 0));
    else charge(kValueBytes);
    place(json(std::forward<Value>(value)));
    return true;
  }

  // What the document costs, roughly as glibc and libstdc++ lay it out: a value is 16
  // bytes, twice over for the slack of the vector that holds it; a string, an array and an
  // object add an allocation each, an object member a tree node.
  static constexpr uint64_t kValueBytes = 32;
  static constexpr uint64_t kStringBytes = kValueBytes + 48;
  static constexpr uint64_t kContainerBytes = kValueBytes + 64;
  static constexpr uint64_t kMemberBytes = 96;

  void charge(uint64_t bytes) {
    cost_ += bytes;
    if (cost_ <= budget_) return;
    throw_bad_input(fmt::format(
        "{}: the JSON is too dense to parse: {} bytes of text build a document of more than {} "
        "MiB (small values cost many times their text, and the limit is {} times the text "
        "plus {} MiB); a trace needs far fewer values, so shrink or split it",
        source_, text_.size(), budget_ >> 20, kTraceParseFactor, kTraceParseAllowance >> 20));
  }

  json* place(json&& value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[keys_.back()];
    slot = std::move(value);
    return &slot;
  }

  bool open(json&& container) {
    charge(kContainerBytes);
    open_.push_back(place(std::move(container)));
    keys_.emplace_back();
    if (open_.size() > kMaxJsonDepth) {
      constexpr size_t kShown = 60;  // the path of a deep value is long and repetitive
      std::string where = json_path_name(path());
      if (where.size() > kShown) where = where.substr(0, kShown) + "…";
      throw_bad_input(fmt::format("{}: {}: JSON nested more than {} levels deep", source_, where,
                                  kMaxJsonDepth));
    }
    return true;
  }

  bool close() {
    open_.pop_back();
    keys_.pop_back();
    return true;
  }

  // The path of the innermost open container. Only computed for error messages.
  std::string path() const {
    std::string result;
    for (size_t level = 1; level < open_.size(); ++level) {
      const json& parent = *open_[level - 1];
      result = parent.is_array() ? json_path_index(result, parent.size() - 1)
                                 : json_path_key(result, keys_[level - 1]);
    }
    return result;
  }

  std::string_view text_;
  const std::string& source_;
  const uint64_t budget_ = (kTraceParseFactor * text_.size() + kTraceParseAllowance) / 2;
  uint64_t cost_ = 0;
  json root_;
  std::vector<json*> open_;        // the containers being filled, outermost first
  std::vector<std::string> keys_;  // per open container: its current key (objects only)
};

}  // namespace

json parse_json_text(std::string_view text, const std::string& source) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw_bad_input(
        fmt::format("{}: the file is empty{}; a trace is a JSON object such as "
                    "{{\"format\": \"shapelog-trace/1\", \"actors\": [...]}}",
                    source, text.empty() ? "" : " (only whitespace)"));
  if (auto bad = first_invalid_utf8(text)) {
    TextPosition at = position_at(text, *bad);
    throw_bad_input(
        fmt::format("{}:{}:{}: invalid UTF-8 (byte 0x{:02x}); a trace must be UTF-8 text", source,
                    at.line, at.column, static_cast<unsigned char>(text[*bad])));
  }
  DocumentBuilder builder(text, source);
  json::sax_parse(text, &builder);
  return builder.take();
}

std::string compact_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace shapelog
