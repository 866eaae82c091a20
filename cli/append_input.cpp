#include "append_input.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/utf8.h"
#include "log/record_format.h"

namespace shapelog::cli {

std::vector<RawValue> read_values(std::FILE* input, bool nul_separated) {
  const int separator = nul_separated ? '\0' : '\n';
  const char* unit = nul_separated ? "record" : "line";
  std::vector<RawValue> values;
  std::string current;
  bool pending = false;
  for (int c; (c = getc_unlocked(input)) != EOF;) {
    if (c == separator) {
      values.push_back({std::move(current), fmt::format("{} {}", unit, values.size() + 1)});
      current.clear();
      pending = false;
      continue;
    }
    current.push_back(static_cast<char>(c));
    pending = true;
    if (current.size() > format::kMaxPayloadSize)
      throw_bad_input(fmt::format("{} {} of stdin is longer than {} bytes, the largest value "
                                  "shapelog stores; nothing was appended",
                                  unit, values.size() + 1, format::kMaxPayloadSize));
  }
  if (pending) values.push_back({std::move(current), fmt::format("{} {}", unit, values.size() + 1)});
  return values;
}

std::vector<RawValue> argument_values(const std::vector<std::string>& arguments) {
  std::vector<RawValue> values;
  for (size_t i = 0; i < arguments.size(); ++i)
    values.push_back({arguments[i], fmt::format("argument {}", i + 1)});
  return values;
}

std::vector<Entry> to_entries(const std::vector<RawValue>& values, bool require_json) {
  std::vector<Entry> entries;
  entries.reserve(values.size());
  for (const RawValue& value : values) {
    if (value.bytes.size() > format::kMaxPayloadSize)
      throw_bad_input(fmt::format("{} has {} bytes; the limit is {}; nothing was appended",
                                  value.where, value.bytes.size(), format::kMaxPayloadSize));
    if (auto bad = find_invalid_utf8(value.bytes))
      throw_bad_input(fmt::format("{} is not valid UTF-8 (byte {}); values must be UTF-8 text; "
                                  "nothing was appended",
                                  value.where, *bad + 1));
    if (auto nul = value.bytes.find('\0'); nul != std::string::npos)
      throw_bad_input(fmt::format("{} contains a NUL byte (byte {}); use -0 to separate values "
                                  "with NUL; nothing was appended",
                                  value.where, nul + 1));
    bool is_json = nlohmann::json::accept(value.bytes);
    if (require_json && !is_json)
      throw_bad_input(fmt::format("{} is not valid JSON ('{}'); --json accepts JSON values "
                                  "only; nothing was appended",
                                  value.where, value.bytes.substr(0, 40)));
    entries.push_back(Entry{Offset::before_all(), is_json ? ValueKind::Json : ValueKind::String,
                            value.bytes});
  }
  return entries;
}

}  // namespace shapelog::cli
