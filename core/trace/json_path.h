// JSON paths for error messages, as people write them: `actors[1].ops[0].after`. Keys that
// are not plain names are quoted: `expect["my key"]`. The document itself is the empty path.
#pragma once

#include <string>
#include <string_view>

namespace shapelog {

std::string json_path_key(const std::string& parent, std::string_view key);
std::string json_path_index(const std::string& parent, size_t index);

// "the top level" for the empty path, else the path itself.
std::string json_path_name(const std::string& path);

}  // namespace shapelog
