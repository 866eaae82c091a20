#include "trace/trace_reader.h"

#include <algorithm>
#include <array>
#include <span>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "shapelog/error.h"
#include "trace/closest_name.h"
#include "trace/json_path.h"
#include "trace/json_text.h"

namespace shapelog {

namespace {

using nlohmann::json;
using Names = std::span<const std::string_view>;

constexpr std::array<std::string_view, 8> kTopFields = {
    "format", "name", "description", "initial", "actors", "schedule", "expect", "options"};
constexpr std::array<std::string_view, 2> kInitialFields = {"persisted", "buffered"};
constexpr std::array<std::string_view, 2> kActorFields = {"name", "ops"};
constexpr std::array<std::string_view, 2> kEntryFields = {"offset", "value"};
constexpr std::array<std::string_view, 3> kOps = {"append", "flush", "read"};
constexpr std::array<std::string_view, 3> kAppendFields = {"op", "entries", "count"};
constexpr std::array<std::string_view, 1> kFlushFields = {"op"};
constexpr std::array<std::string_view, 4> kReadFields = {"op", "after", "from", "to"};
constexpr std::array<std::string_view, 3> kScheduleFields = {"actor", "steps", "until"};
constexpr std::array<std::string_view, 2> kOptionFields = {"buffer_capacity", "storage"};

constexpr std::string_view kEntrySyntax =
    "an entry (an offset string such as \"11_0\", or {\"offset\": \"11_0\", \"value\": ...})";

bool is_extension(std::string_view key) { return key.starts_with("x-"); }

bool is_actor_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

std::string json_quoted(std::string_view text) { return compact_json(json(std::string(text))); }

// What a value is, for "expected ..., found ...".
std::string describe(const json& value) {
  constexpr size_t kShown = 40;
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return fmt::format("the boolean {}", value.dump());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return fmt::format("the number {}", value.dump());
    case json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() <= kShown) return fmt::format("the string {}", json_quoted(text));
      return fmt::format("the string {}…", json_quoted(text.substr(0, kShown)));
    }
    case json::value_t::array: return value.empty() ? "an empty array" : "an array";
    case json::value_t::object: return value.empty() ? "an empty object" : "an object";
    default: return "a value of another kind";
  }
}

// "; did you mean "x"?" when a known name is close, else nothing.
std::string suggestion(std::string_view name, Names known) {
  auto closest = closest_name(name, known);
  return closest ? fmt::format("; did you mean \"{}\"?", *closest) : "";
}

class TraceReader {
 public:
  explicit TraceReader(const std::string& source) : source_(source) {}

  // Moves the x- fields out of document instead of copying them: they can be most of it.
  Trace read(json& document) {
    if (!document.is_object())
      fail("", fmt::format("expected a JSON object (a trace), found {}", describe(document)));
    read_format(document);
    check_fields(document, "", kTopFields);

    Trace trace;
    if (const json* name = field(document, "name")) trace.name = string_at(*name, "name");
    if (const json* description = field(document, "description"))
      trace.description = string_at(*description, "description");
    if (const json* initial = field(document, "initial")) read_initial(*initial, trace);
    trace.actors = read_actors(required(document, "", "actors", "the list of actors"));
    if (const json* schedule = field(document, "schedule"))
      trace.schedule = read_schedule(*schedule, trace.actors);
    if (const json* expect = field(document, "expect")) trace.expect = read_expect(*expect);
    if (const json* options = field(document, "options")) trace.options = read_options(*options);
    for (auto& [key, value] : document.items())
      if (is_extension(key)) trace.extensions[key] = std::move(value);
    return trace;
  }

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw_bad_input(fmt::format("{}: {}: {}", source_, json_path_name(path), message));
  }

  [[noreturn]] void expected(const std::string& path, std::string_view what,
                             const json& found) const {
    fail(path, fmt::format("expected {}, found {}", what, describe(found)));
  }

  // Rejects every key of `object` that is neither known nor an x- extension.
  void check_fields(const json& object, const std::string& path, Names known) const {
    for (const auto& [key, value] : object.items()) {
      if (is_extension(key) || std::find(known.begin(), known.end(), key) != known.end()) continue;
      fail(json_path_key(path, key),
           fmt::format("unknown field {}{} (known fields here: {}; names starting with x- are "
                       "ignored)",
                       json_quoted(key), suggestion(key, known), fmt::join(known, ", ")));
    }
  }

  static const json* field(const json& object, const std::string& key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  const json& required(const json& object, const std::string& path, const std::string& key,
                       std::string_view what) const {
    const json* value = field(object, key);
    if (!value) fail(path, fmt::format("missing field \"{}\" ({})", key, what));
    return *value;
  }

  const std::string& string_at(const json& value, const std::string& path) const {
    if (!value.is_string()) expected(path, "a string", value);
    return value.get_ref<const std::string&>();
  }

  const json& object_at(const json& value, const std::string& path) const {
    if (!value.is_object()) expected(path, "an object", value);
    return value;
  }

  const json& array_at(const json& value, const std::string& path, std::string_view what) const {
    if (!value.is_array()) expected(path, what, value);
    return value;
  }

  // A non-negative integer; the caller checks its range.
  uint64_t unsigned_at(const json& value, const std::string& path, std::string_view what) const {
    if (value.is_number_unsigned()) return value.get<uint64_t>();
    expected(path, what, value);
  }

  void read_format(const json& document) const {
    const json* format = field(document, "format");
    if (!format)
      fail("", fmt::format("missing field \"format\"; a trace starts with \"format\": \"{}\"",
                           kTraceFormat));
    if (!format->is_string() || format->get_ref<const std::string&>() != kTraceFormat)
      fail("format", fmt::format("expected \"{}\", found {}; this shapelog reads version 1 "
                                 "traces only",
                                 kTraceFormat, describe(*format)));
  }

  Offset offset_at(const json& value, const std::string& path) const {
    if (!value.is_string()) {
      std::string hint = value.is_number_unsigned()
                             ? fmt::format("; write offsets as strings, e.g. \"{}\"", value.dump())
                             : "";
      fail(path, fmt::format("expected an offset string, found {}{}", describe(value), hint));
    }
    const std::string& text = value.get_ref<const std::string&>();
    auto offset = parse_offset(text);
    if (!offset)
      fail(path, fmt::format("{} is not an offset: {}", json_quoted(text), kOffsetSyntax));
    return *offset;
  }

  Entry entry_at(const json& value, const std::string& path) const {
    if (value.is_string()) {
      Offset offset = entry_offset_at(value, path);
      return offset_entry(offset);
    }
    if (!value.is_object()) expected(path, kEntrySyntax, value);
    check_fields(value, path, kEntryFields);
    const std::string offset_path = json_path_key(path, "offset");
    Offset offset =
        entry_offset_at(required(value, path, "offset", "the entry's offset"), offset_path);
    const json* entry_value = field(value, "value");
    if (!entry_value) return offset_entry(offset);
    return Entry{offset, ValueKind::Json, entry_value->dump()};
  }

  Offset entry_offset_at(const json& value, const std::string& path) const {
    Offset offset = offset_at(value, path);
    if (offset.is_before_all())
      fail(path, "-1 is not an entry's offset: it means before every entry");
    return offset;
  }

  // Adds an entry to the log the trace builds, in order: initial.persisted,
  // initial.buffered, then the writer's appends.
  void add_to_log(const Entry& entry, const std::string& path) {
    if (last_offset_ && entry.offset <= *last_offset_)
      fail(path, fmt::format("offset {} is not greater than the previous entry's, {} ({}); "
                             "offsets must increase strictly across initial.persisted, "
                             "initial.buffered and the writer's appends, in that order",
                             entry.offset, *last_offset_, last_path_));
    if (entries_ == kMaxTraceEntries)
      fail(path, fmt::format("a trace holds at most {} entries in all", kMaxTraceEntries));
    ++entries_;
    last_offset_ = entry.offset;
    last_path_ = path;
  }

  std::vector<Entry> entries_at(const json& value, const std::string& path) {
    array_at(value, path, "an array of entries");
    std::vector<Entry> entries;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string entry_path = json_path_index(path, i);
      entries.push_back(entry_at(value[i], entry_path));
      add_to_log(entries.back(), entry_path);
    }
    return entries;
  }

  void read_initial(const json& value, Trace& trace) {
    object_at(value, "initial");
    check_fields(value, "initial", kInitialFields);
    if (const json* persisted = field(value, "persisted"))
      trace.initial_persisted = entries_at(*persisted, "initial.persisted");
    if (const json* buffered = field(value, "buffered"))
      trace.initial_buffered = entries_at(*buffered, "initial.buffered");
  }

  std::vector<Actor> read_actors(const json& value) {
    array_at(value, "actors", "an array of actors");
    if (value.empty())
      fail("actors",
           "a trace needs at least one actor, e.g. {\"name\": \"reader\", \"ops\": "
           "[{\"op\": \"read\"}]}");
    std::vector<Actor> actors;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string path = json_path_index("actors", i);
      const json& actor = object_at(value[i], path);
      check_fields(actor, path, kActorFields);
      std::string name_path = json_path_key(path, "name");
      const std::string& name =
          string_at(required(actor, path, "name", "the actor's name"), name_path);
      if (!is_actor_name(name))
        fail(name_path, fmt::format("actor name {} must be one or more of A-Z a-z 0-9 _ . -",
                                    json_quoted(name)));
      for (size_t j = 0; j < actors.size(); ++j)
        if (actors[j].name == name)
          fail(name_path, fmt::format("duplicate actor name {} (also actors[{}]); actor names "
                                      "must be unique",
                                      json_quoted(name), j));
      actors.push_back(Actor{name, {}});
      std::string ops_path = json_path_key(path, "ops");
      const json& ops = array_at(required(actor, path, "ops", "the actor's list of ops"), ops_path,
                                 "an array of ops");
      for (size_t j = 0; j < ops.size(); ++j)
        actors.back().ops.push_back(read_op(ops[j], json_path_index(ops_path, j), actors));
    }
    return actors;
  }

  // `actors` holds the actors read so far; the last one owns this op.
  Op read_op(const json& value, const std::string& path, const std::vector<Actor>& actors) {
    object_at(value, path);
    std::string op_path = json_path_key(path, "op");
    const std::string& op =
        string_at(required(value, path, "op", "append, flush or read"), op_path);
    if (op == "append") {
      check_fields(value, path, kAppendFields);
      claim_writer(path, actors);
      return read_append(value, path);
    }
    if (op == "flush") {
      check_fields(value, path, kFlushFields);
      claim_writer(path, actors);
      return FlushOp{};
    }
    if (op == "read") {
      check_fields(value, path, kReadFields);
      return read_range(value, path);
    }
    fail(op_path, fmt::format("unknown op {}{} (known ops: {})", json_quoted(op),
                              suggestion(op, kOps), fmt::join(kOps, ", ")));
  }

  void claim_writer(const std::string& path, const std::vector<Actor>& actors) {
    size_t actor = actors.size() - 1;
    if (writer_ && *writer_ != actor)
      fail(path, fmt::format("actors[{}] ({}) and actors[{}] ({}) both append or flush; at most "
                             "one actor may write: move the appends and flushes into one actor",
                             *writer_, json_quoted(actors[*writer_].name), actor,
                             json_quoted(actors[actor].name)));
    writer_ = actor;
  }

  AppendOp read_append(const json& value, const std::string& path) {
    const json* entries = field(value, "entries");
    const json* count = field(value, "count");
    if (entries && count) fail(path, "an append takes either \"entries\" or \"count\", not both");
    if (entries) {
      std::string entries_path = json_path_key(path, "entries");
      AppendOp append{entries_at(*entries, entries_path), std::nullopt};
      if (append.entries.empty())
        fail(entries_path, "an append is one transaction of at least one entry");
      return append;
    }
    if (count) return expand_count(*count, json_path_key(path, "count"));
    fail(path, "an append needs \"entries\": [...] or \"count\": N");
  }

  AppendOp expand_count(const json& value, const std::string& path) {
    uint64_t count = unsigned_at(value, path, "a count (an integer, at least 1)");
    if (count == 0)
      fail(path, "count must be at least 1: an append is one transaction of at least one entry");
    uint64_t room = kMaxTraceEntries - entries_;
    if (count > room)
      fail(path, fmt::format("count {} is too large: a trace holds at most {} entries in all, "
                             "and {} are left for this append",
                             count, kMaxTraceEntries, room));
    uint64_t tx = 1;  // on an empty log, as `shapelog append` numbers the first transaction
    if (last_offset_) {
      if (last_offset_->tx() == UINT64_MAX)
        fail(path, fmt::format("no transaction can follow {}", *last_offset_));
      tx = last_offset_->tx() + 1;
    }
    AppendOp append{{}, count};
    append.entries.reserve(count);
    for (uint64_t op = 0; op < count; ++op) {
      Offset offset(tx, op);
      append.entries.push_back(offset_entry(offset));
    }
    entries_ += count;
    last_offset_ = append.entries.back().offset;
    last_path_ = path;
    return append;
  }

  ReadOp read_range(const json& value, const std::string& path) {
    const json* after = field(value, "after");
    const json* from = field(value, "from");
    if (after && from)
      fail(path, "give either \"after\" (exclusive) or \"from\" (inclusive), not both");
    ReadOp read;
    if (after) read.start = offset_at(*after, json_path_key(path, "after"));
    if (from) {
      read.start = offset_at(*from, json_path_key(path, "from"));
      read.inclusive = true;
    }
    if (const json* to = field(value, "to")) {
      std::string to_path = json_path_key(path, "to");
      read.to = offset_at(*to, to_path);
      if (*read.to < read.start)
        fail(to_path, fmt::format("the range ends before it starts: \"to\" {} is below \"{}\" "
                                  "{}; \"to\" must be at least the start",
                                  *read.to, read.inclusive ? "from" : "after", read.start));
    }
    return read;
  }

  std::vector<ScheduleElement> read_schedule(const json& value, const std::vector<Actor>& actors) {
    array_at(value, "schedule", "an array of schedule elements");
    std::vector<ScheduleElement> schedule;
    for (size_t i = 0; i < value.size(); ++i)
      schedule.push_back(read_schedule_element(value[i], json_path_index("schedule", i), actors));
    return schedule;
  }

  ScheduleElement read_schedule_element(const json& value, const std::string& path,
                                        const std::vector<Actor>& actors) const {
    ScheduleElement element;
    if (value.is_string()) {
      element.actor = actor_at(value, path, actors);
      return element;
    }
    if (!value.is_object())
      expected(path, "an actor name or {\"actor\": ..., \"steps\" or \"until\": ...}", value);
    check_fields(value, path, kScheduleFields);
    element.actor = actor_at(required(value, path, "actor", "the actor to run"),
                             json_path_key(path, "actor"), actors);
    const json* steps = field(value, "steps");
    const json* until = field(value, "until");
    if (steps && until) fail(path, "give either \"steps\" or \"until\", not both");
    if (steps) {
      std::string steps_path = json_path_key(path, "steps");
      element.steps = unsigned_at(*steps, steps_path, "a number of steps (an integer, at least 1)");
      if (element.steps == 0 || element.steps > kMaxScheduleSteps)
        fail(steps_path, fmt::format("steps must be between 1 and {}, found {}", kMaxScheduleSteps,
                                     element.steps));
    }
    if (until) {
      std::string until_path = json_path_key(path, "until");
      const std::string& name = string_at(*until, until_path);
      if (name == "done") {
        element.kind = ScheduleElement::Kind::Done;
      } else if (auto point = parse_point(name)) {
        element.kind = ScheduleElement::Kind::Until;
        element.until = *point;
      } else {
        std::vector<std::string_view> names;
        for (Point p : kAllPoints) names.push_back(point_name(p));
        names.push_back("done");
        fail(until_path, fmt::format("unknown point {}{} (valid: {})", json_quoted(name),
                                     suggestion(name, names), fmt::join(names, ", ")));
      }
    }
    return element;
  }

  size_t actor_at(const json& value, const std::string& path,
                  const std::vector<Actor>& actors) const {
    const std::string& name = string_at(value, path);
    std::vector<std::string_view> names;
    for (const Actor& actor : actors) {
      if (actor.name == name) return names.size();
      names.push_back(actor.name);
    }
    fail(path, fmt::format("unknown actor {}{} (actors: {})", json_quoted(name),
                           suggestion(name, names), fmt::join(names, ", ")));
  }

  std::map<ReadStrategy, Outcome> read_expect(const json& value) const {
    object_at(value, "expect");
    std::vector<std::string_view> names;
    for (ReadStrategy strategy : kAllStrategies) names.push_back(strategy_name(strategy));
    std::map<ReadStrategy, Outcome> expect;
    for (const auto& [key, outcome] : value.items()) {
      if (is_extension(key)) continue;
      std::string path = json_path_key("expect", key);
      auto strategy = parse_strategy(key);
      if (!strategy)
        fail(path, fmt::format("unknown read strategy {}{} (strategies: {})", json_quoted(key),
                               suggestion(key, names), fmt::join(names, ", ")));
      if (outcome == "race") {
        expect[*strategy] = Outcome::Race;
      } else if (outcome == "ok") {
        expect[*strategy] = Outcome::Ok;
      } else {
        expected(path, "\"race\" or \"ok\"", outcome);
      }
    }
    return expect;
  }

  TraceOptions read_options(const json& value) const {
    object_at(value, "options");
    check_fields(value, "options", kOptionFields);
    TraceOptions options;
    if (const json* capacity = field(value, "buffer_capacity")) {
      uint64_t bytes =
          unsigned_at(*capacity, "options.buffer_capacity", "a number of bytes (an integer)");
      if (bytes < kMinBufferCapacity || bytes > kMaxBufferCapacity)
        fail("options.buffer_capacity",
             fmt::format("buffer_capacity must be between {} and {} bytes (1 GiB), found {}",
                         kMinBufferCapacity, kMaxBufferCapacity, bytes));
      options.buffer_capacity = bytes;
    }
    if (const json* storage = field(value, "storage")) {
      const std::string& kind = string_at(*storage, "options.storage");
      if (kind == storage_name(StorageKind::Memory)) {
        options.storage = StorageKind::Memory;
      } else if (kind == storage_name(StorageKind::Disk)) {
        options.storage = StorageKind::Disk;
      } else {
        expected("options.storage", "\"memory\" or \"disk\"", *storage);
      }
    }
    for (const auto& [key, extension] : value.items())
      if (is_extension(key)) options.extensions[key] = extension;
    return options;
  }

  const std::string& source_;
  uint64_t entries_ = 0;               // entries of the log so far
  std::optional<Offset> last_offset_;  // the log's last entry so far
  std::string last_path_;              // where that entry was given
  std::optional<size_t> writer_;       // the actor that appends or flushes
};

}  // namespace

Trace parse_trace(std::string_view text, const std::string& source) {
  json document = parse_json_text(text, source);
  return TraceReader(source).read(document);
}

}  // namespace shapelog
