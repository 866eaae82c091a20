#include "input/append_input.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "segment/record_format.h"
#include "shapelog/error.h"

namespace shapelog::cli {

namespace {

// How a value is stored; throws BadInput naming where() (called only then) if it is unfit.
template <class Where>
ValueKind kind_of(std::string_view bytes, bool require_json, Where&& where) {
  if (bytes.size() > format::kMaxPayloadSize)
    throw_bad_input(fmt::format("{} has {} bytes; the limit is {}; nothing was appended", where(),
                                bytes.size(), format::kMaxPayloadSize));
  if (auto bad = find_invalid_utf8(bytes))
    throw_bad_input(
        fmt::format("{} is not valid UTF-8 (byte {}); values must be UTF-8 text; "
                    "nothing was appended",
                    where(), *bad + 1));
  if (auto nul = bytes.find('\0'); nul != std::string_view::npos)
    throw_bad_input(
        fmt::format("{} contains a NUL byte (byte {}); use -0 to separate values "
                    "with NUL; nothing was appended",
                    where(), nul + 1));
  bool is_json = nlohmann::json::accept(bytes);
  if (require_json && !is_json)
    throw_bad_input(
        fmt::format("{} is not valid JSON ('{}'); --json accepts JSON values only; "
                    "nothing was appended",
                    where(), printable_excerpt(bytes)));
  return is_json ? ValueKind::Json : ValueKind::String;
}

}  // namespace

PackedEntries read_values(std::FILE* input, bool nul_separated, bool require_json) {
  const char separator = nul_separated ? '\0' : '\n';
  const char* unit = nul_separated ? "record" : "line";
  std::string text;
  size_t value_start = 0;  // of the value being read
  size_t values = 0;       // complete values so far
  for (;;) {
    const size_t used = text.size();
    text.resize(used + (64 << 10));
    const size_t got = std::fread(text.data() + used, 1, text.size() - used, input);
    text.resize(used + got);
    if (got == 0) break;
    for (size_t at = used; (at = text.find(separator, at)) != std::string::npos; ++at) {
      value_start = at + 1;
      ++values;
    }
    // A line longer than any value is refused before all of it is read.
    if (text.size() - value_start > format::kMaxPayloadSize)
      throw_bad_input(
          fmt::format("{} {} of stdin is longer than {} bytes, the largest value "
                      "shapelog stores; nothing was appended",
                      unit, values + 1, format::kMaxPayloadSize));
  }
  if (std::ferror(input)) throw_bad_input("cannot read stdin; nothing was appended");
  PackedEntries entries(std::move(text), separator);
  for (size_t i = 0; i < entries.size(); ++i)
    entries.set_kind(i, kind_of(entries.bytes(i), require_json,
                                [&] { return fmt::format("{} {}", unit, i + 1); }));
  return entries;
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
  for (const RawValue& value : values)
    entries.push_back(Entry{Offset::before_all(),
                            kind_of(value.bytes, require_json, [&] { return value.where; }),
                            value.bytes});
  return entries;
}

}  // namespace shapelog::cli
