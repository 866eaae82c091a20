#include "trace/trace_writer.h"

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kLineWidth = 100;

[[noreturn]] void unwritable(const std::string& what) {
  throw Error(ErrorKind::Internal, fmt::format("cannot write the trace: {}", what));
}

ordered_json entry_json(const Entry& entry) {
  if (entry.offset.is_before_all()) unwritable("an entry has offset -1");
  std::string offset = entry.offset.to_string();
  if (entry.kind == ValueKind::String) {
    if (entry.bytes != offset)
      unwritable(
          fmt::format("entry {} holds a string value other than its offset string, "
                      "which a trace can only give as a JSON value",
                      offset));
    return offset;
  }
  json value = json::parse(entry.bytes, nullptr, false);
  if (value.is_discarded() || value.dump() != entry.bytes)
    unwritable(fmt::format("the value of entry {} is not compact JSON text", offset));
  return ordered_json{{"offset", offset}, {"value", ordered_json(value)}};
}

ordered_json entries_json(const std::vector<Entry>& entries) {
  ordered_json array = ordered_json::array();
  for (const Entry& entry : entries) array.push_back(entry_json(entry));
  return array;
}

ordered_json op_json(const Op& op) {
  ordered_json result;
  if (const auto* append = std::get_if<AppendOp>(&op)) {
    result["op"] = "append";
    if (append->count) result["count"] = *append->count;
    else result["entries"] = entries_json(append->entries);
  } else if (std::holds_alternative<FlushOp>(op)) {
    result["op"] = "flush";
  } else {
    const auto& read = std::get<ReadOp>(op);
    result["op"] = "read";
    if (read.inclusive) result["from"] = read.start.to_string();
    else if (!read.start.is_before_all()) result["after"] = read.start.to_string();
    if (read.to) result["to"] = read.to->to_string();
  }
  return result;
}

ordered_json schedule_element_json(const ScheduleElement& element,
                                   const std::vector<Actor>& actors) {
  if (element.actor >= actors.size())
    unwritable(
        fmt::format("a schedule element names actor {} of {}", element.actor, actors.size()));
  const std::string& actor = actors[element.actor].name;
  switch (element.kind) {
    case ScheduleElement::Kind::Steps:
      if (element.steps == 1) return actor;
      return ordered_json{{"actor", actor}, {"steps", element.steps}};
    case ScheduleElement::Kind::Until:
      return ordered_json{{"actor", actor}, {"until", point_name(element.until)}};
    case ScheduleElement::Kind::Done: break;
  }
  return ordered_json{{"actor", actor}, {"until", "done"}};
}

// Copies the x- fields of EXTENSIONS into OBJECT; WHAT names them in the error for a key
// without "x-".
void add_extensions(ordered_json& object, const nlohmann::json& extensions, std::string_view what) {
  if (!extensions.is_object()) unwritable(fmt::format("the {}s are not a JSON object", what));
  for (const auto& [key, value] : extensions.items()) {
    if (!key.starts_with("x-"))
      unwritable(fmt::format("{} \"{}\" does not start with x-", what, key));
    object[key] = ordered_json(value);
  }
}

ordered_json options_json(const TraceOptions& options) {
  ordered_json object = ordered_json::object();
  if (options.buffer_capacity) object["buffer_capacity"] = *options.buffer_capacity;
  if (options.storage) object["storage"] = storage_name(*options.storage);
  add_extensions(object, options.extensions, "option");
  return object;
}

ordered_json trace_json(const Trace& trace) {
  ordered_json document;
  document["format"] = kTraceFormat;
  if (!trace.name.empty()) document["name"] = trace.name;
  if (!trace.description.empty()) document["description"] = trace.description;
  if (!trace.initial_persisted.empty() || !trace.initial_buffered.empty()) {
    ordered_json initial = ordered_json::object();
    if (!trace.initial_persisted.empty())
      initial["persisted"] = entries_json(trace.initial_persisted);
    if (!trace.initial_buffered.empty()) initial["buffered"] = entries_json(trace.initial_buffered);
    document["initial"] = std::move(initial);
  }
  ordered_json actors = ordered_json::array();
  for (const Actor& actor : trace.actors) {
    ordered_json ops = ordered_json::array();
    for (const Op& op : actor.ops) ops.push_back(op_json(op));
    actors.push_back(ordered_json{{"name", actor.name}, {"ops", std::move(ops)}});
  }
  document["actors"] = std::move(actors);
  if (trace.schedule) {
    ordered_json schedule = ordered_json::array();
    for (const ScheduleElement& element : *trace.schedule)
      schedule.push_back(schedule_element_json(element, trace.actors));
    document["schedule"] = std::move(schedule);
  }
  if (!trace.expect.empty()) {
    ordered_json expect = ordered_json::object();
    for (const auto& [strategy, outcome] : trace.expect)
      expect[std::string(strategy_name(strategy))] = outcome_name(outcome);
    document["expect"] = std::move(expect);
  }
  if (ordered_json options = options_json(trace.options); !options.empty())
    document["options"] = std::move(options);
  add_extensions(document, trace.extensions, "extension field");
  return document;
}

// The value on one line, with a space after each ',' and ':'.
std::string one_line(const ordered_json& value) {
  if (!value.is_structured()) return value.dump();
  std::string text(1, value.is_object() ? '{' : '[');
  bool first = true;
  for (const auto& [key, element] : value.items()) {
    if (!first) text += ", ";
    first = false;
    if (value.is_object()) text += ordered_json(key).dump() + ": ";
    text += one_line(element);
  }
  text += value.is_object() ? '}' : ']';
  return text;
}

// Writes `value` starting at `column`, lines indented by `indent`: on one line if it fits,
// else one element per line.
void write_value(std::string& out, const ordered_json& value, size_t indent, size_t column,
                 bool force_lines) {
  std::string line = one_line(value);
  if (!value.is_structured() || value.empty() ||
      (!force_lines && column + line.size() <= kLineWidth)) {
    out += line;
    return;
  }
  out += value.is_object() ? "{\n" : "[\n";
  size_t inner = indent + 2;
  bool first = true;
  for (const auto& [key, element] : value.items()) {
    if (!first) out += ",\n";
    first = false;
    out.append(inner, ' ');
    size_t start = inner;
    if (value.is_object()) {
      std::string name = ordered_json(key).dump() + ": ";
      out += name;
      start += name.size();
    }
    write_value(out, element, inner, start, false);
  }
  out += '\n';
  out.append(indent, ' ');
  out += value.is_object() ? '}' : ']';
}

}  // namespace

std::string write_trace(const Trace& trace) {
  try {
    std::string out;
    write_value(out, trace_json(trace), 0, 0, true);
    out += '\n';
    return out;
  } catch (const json::exception& error) {
    unwritable(error.what());  // e.g. a name that is not UTF-8
  }
}

}  // namespace shapelog
