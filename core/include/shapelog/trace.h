// A parsed trace (trace format "shapelog-trace/1"): the initial log state, the actors and
// their ops, the optional schedule, the expected outcomes and the options. Plain data:
// trace_reader.h builds it from JSON text, trace_writer.h turns it back into text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "shapelog/entry.h"
#include "shapelog/point.h"
#include "shapelog/read_range.h"
#include "shapelog/read_strategy.h"

namespace shapelog {

inline constexpr std::string_view kTraceFormat = "shapelog-trace/1";

// One transaction. Entries given without a value hold their offset string (ValueKind::String,
// Offset::to_string()); entries given with a value hold its compact JSON text
// (ValueKind::Json). A `count` append is expanded when parsed; `count` is kept so that
// writing the trace back gives the same short form, and when set, `entries` must be its
// expansion.
struct AppendOp {
  std::vector<Entry> entries;
  std::optional<uint64_t> count;

  bool operator==(const AppendOp&) const = default;
};

struct FlushOp {
  bool operator==(const FlushOp&) const = default;
};

// A read is its range: `after` is start with inclusive=false, `from` inclusive=true.
using ReadOp = ReadRange;

using Op = std::variant<AppendOp, FlushOp, ReadOp>;

struct Actor {
  std::string name;
  std::vector<Op> ops;

  bool operator==(const Actor&) const = default;
};

// One schedule element: run `actor` (an index into Trace::actors) for `steps` steps, until it
// completes a step ending at `until`, or to completion. Only the field its kind names is
// meaningful; the other keeps its default.
struct ScheduleElement {
  enum class Kind : uint8_t { Steps, Until, Done };

  size_t actor = 0;
  Kind kind = Kind::Steps;
  uint64_t steps = 1;
  Point until = Point::AppendBuffer;

  bool operator==(const ScheduleElement&) const = default;
};

enum class Outcome : uint8_t { Ok, Race };

enum class StorageKind : uint8_t { Memory, Disk };

// The trace's "options", checked by the trace reader. A field the trace does not give stays
// unset, so that writing the trace back gives the same fields.
struct TraceOptions {
  std::optional<uint64_t> buffer_capacity;  // bytes; unset: sized from the trace's entries
  std::optional<StorageKind> storage;       // unset: memory
  nlohmann::json extensions = nlohmann::json::object();  // the x- keys, kept as given

  bool operator==(const TraceOptions&) const = default;

  bool on_disk() const { return storage == StorageKind::Disk; }
};

struct Trace {
  std::string name;
  std::string description;
  std::vector<Entry> initial_persisted;
  std::vector<Entry> initial_buffered;
  std::vector<Actor> actors;
  std::optional<std::vector<ScheduleElement>> schedule;  // nullopt: actors run one after another
  std::map<ReadStrategy, Outcome> expect;
  TraceOptions options;
  nlohmann::json extensions = nlohmann::json::object();  // the top-level x- fields

  bool operator==(const Trace&) const = default;

  // The actor that appends or flushes, if any (a valid trace has at most one).
  std::optional<size_t> writer_index() const;
};

constexpr std::string_view outcome_name(Outcome outcome) {
  return outcome == Outcome::Race ? "race" : "ok";
}

constexpr std::string_view storage_name(StorageKind storage) {
  return storage == StorageKind::Disk ? "disk" : "memory";
}

}  // namespace shapelog
