#include "trace/json_path.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trace/json_text.h"

namespace shapelog {

namespace {

bool is_plain_name(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
    if (!plain) return false;
  }
  return true;
}

}  // namespace

std::string json_path_key(const std::string& parent, std::string_view key) {
  if (!is_plain_name(key)) {
    // Replace, not throw, on invalid UTF-8: this text only goes into an error message.
    std::string quoted = compact_json(nlohmann::json(std::string(key)));
    return fmt::format("{}[{}]", parent, quoted);
  }
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::string json_path_index(const std::string& parent, size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

std::string json_path_name(const std::string& path) {
  return path.empty() ? "the top level" : path;
}

}  // namespace shapelog
