#include "output/run_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "output/color.h"

namespace shapelog::cli {

namespace {

constexpr size_t kMaxTableActors = 8;
constexpr size_t kMaxTableWidth = 160;

std::string entries_text(const PointEvent& e) {
  if (e.entries == 0) return "0";
  if (e.first == e.last) return fmt::format("1 ({})", e.first);
  return fmt::format("{} ({}..{})", e.entries, e.first, e.last);
}

std::string with_note(std::string text, std::string_view note) {
  if (!note.empty()) text += fmt::format(" [{}]", note);
  return text;
}

nlohmann::json entry_offsets(const std::vector<Entry>& entries) {
  nlohmann::json offsets = nlohmann::json::array();
  for (const Entry& entry : entries) offsets.push_back(entry.offset.to_string());
  return offsets;
}

nlohmann::json value_json(const Entry& entry) {
  if (entry.kind == ValueKind::Json) return nlohmann::json::parse(entry.bytes);
  return entry.bytes;
}

// One column per actor: the layout for a few actors.
void render_table(std::string& out, const Trace& trace, const RunResult& run,
                  const std::vector<std::string>& cells, const std::vector<size_t>& widths) {
  const size_t actors = trace.actors.size();
  auto row = [&](std::string_view step, size_t actor, std::string_view cell) {
    std::string line = fmt::format("{:>5}", step);
    for (size_t a = 0; a < actors; ++a)
      line += fmt::format("  {:<{}}", a == actor || actor == SIZE_MAX ? cell : "", widths[a]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  std::string header = fmt::format("{:>5}", "step");
  for (size_t a = 0; a < actors; ++a)
    header += fmt::format("  {:<{}}", trace.actors[a].name, widths[a]);
  out += header + "\n";
  std::string rule = fmt::format("{:->5}", "");
  for (size_t a = 0; a < actors; ++a) rule += fmt::format("  {:->{}}", "", widths[a]);
  out += rule + "\n";
  for (size_t i = 0; i < run.timeline.size(); ++i)
    row(std::to_string(run.timeline[i].step), run.timeline[i].actor, cells[i]);
}

}  // namespace

std::string describe_step(const PointEvent& e) {
  std::string name(point_name(e.point));
  switch (e.point) {
    case Point::AppendBuffer:
      return with_note(fmt::format("{}  {} entries", name, entries_text(e)), e.note);
    case Point::AppendPublish: return fmt::format("{}  seen={}", name, e.last_seen);
    case Point::FlushWrite: return fmt::format("{}  wrote {}", name, entries_text(e));
    case Point::FlushPublish: return fmt::format("{}  persisted={}", name, e.last_persisted);
    case Point::FlushTrim: return fmt::format("{}  gen={}", name, e.generation);
    case Point::ReadSnapshot:
      return with_note(fmt::format("{}  persisted={} seen={} gen={}", name, e.last_persisted,
                                   e.last_seen, e.generation),
                       e.note);
    case Point::ReadRecheck:
      return with_note(fmt::format("{}  persisted={}", name, e.last_persisted), e.note);
    case Point::ReadBuffer:
      return with_note(fmt::format("{}  copied {}", name, entries_text(e)), e.note);
    case Point::ReadDisk:
      return with_note(fmt::format("{}  read {}", name, entries_text(e)), e.note);
    case Point::ReadValidate:
      return with_note(fmt::format("{}  gen={}", name, e.generation), e.note);
  }
  return name;
}

std::string outcome_text(Outcome outcome, size_t width) {
  std::string text = fmt::format("{:<{}}", outcome_name(outcome), width);
  return outcome == Outcome::Race ? as_bad(text) : as_good(text);
}

std::string render_run(const Trace& trace, const RunResult& run) {
  const size_t actors = trace.actors.size();
  std::vector<std::string> cells(run.timeline.size());
  std::vector<size_t> widths(actors);
  for (size_t a = 0; a < actors; ++a) widths[a] = trace.actors[a].name.size();
  for (size_t i = 0; i < run.timeline.size(); ++i) {
    cells[i] = describe_step(run.timeline[i].event);
    widths[run.timeline[i].actor] = std::max(widths[run.timeline[i].actor], cells[i].size());
  }

  std::string out = fmt::format("trace {}, strategy {}\n",
                                trace.name.empty() ? "(unnamed)" : trace.name, run.strategy);
  // A column per actor makes every row as wide as all the actors: past a few of them, or
  // past a line a terminal shows, one line per step names its actor instead, so the output
  // stays linear in the steps (10,000 actors printed 10,000 columns per step).
  size_t table_width = 5;
  for (size_t width : widths) table_width += 2 + width;
  if (actors > kMaxTableActors || table_width > kMaxTableWidth) {
    size_t name_width = 5;
    for (const TimelineRow& step : run.timeline)
      name_width = std::max(name_width, trace.actors[step.actor].name.size());
    out += fmt::format("{:>5}  {:<{}}  point\n", "step", "actor", name_width);
    for (size_t i = 0; i < run.timeline.size(); ++i)
      out += fmt::format("{:>5}  {:<{}}  {}\n", run.timeline[i].step,
                         trace.actors[run.timeline[i].actor].name, name_width, cells[i]);
  } else {
    render_table(out, trace, run, cells, widths);
  }

  out += "reads:\n";
  if (run.reads.empty()) out += "  (none)\n";
  for (const ReadRecord& read : run.reads)
    out += fmt::format("  {} op {} ({}), from step {}: {}\n", trace.actors[read.actor].name,
                       read.op, describe_range(read.range), read.first_step,
                       read.verdict.ok ? describe(read.verdict) : as_bad(describe(read.verdict)));
  out += fmt::format("outcome: {}\n", outcome_text(run.outcome));
  return out;
}

nlohmann::json run_to_json(const Trace& trace, const RunResult& run) {
  nlohmann::json timeline = nlohmann::json::array();
  for (const TimelineRow& row : run.timeline) {
    const PointEvent& e = row.event;
    nlohmann::json step = {{"step", row.step},
                           {"actor", trace.actors[row.actor].name},
                           {"op", row.op},
                           {"point", point_name(e.point)},
                           {"text", describe_step(e)}};
    switch (e.point) {
      case Point::ReadSnapshot:
        step["last_persisted"] = e.last_persisted.to_string();
        step["last_seen"] = e.last_seen.to_string();
        step["generation"] = e.generation;
        break;
      case Point::AppendPublish: step["last_seen"] = e.last_seen.to_string(); break;
      case Point::FlushPublish:
      case Point::ReadRecheck: step["last_persisted"] = e.last_persisted.to_string(); break;
      case Point::FlushTrim:
      case Point::ReadValidate: step["generation"] = e.generation; break;
      default:
        step["entries"] = e.entries;
        if (e.entries > 0) {
          step["first"] = e.first.to_string();
          step["last"] = e.last.to_string();
        }
    }
    if (!e.note.empty()) step["note"] = e.note;
    timeline.push_back(std::move(step));
  }

  nlohmann::json reads = nlohmann::json::array();
  for (const ReadRecord& read : run.reads) {
    const ReadVerdict& v = read.verdict;
    nlohmann::json range = {
        {read.range.inclusive ? "from" : "after", read.range.start.to_string()}};
    if (read.range.to) range["to"] = read.range.to->to_string();
    nlohmann::json wrong = nlohmann::json::array();
    for (const auto& [expected, got] : v.wrong_value)
      wrong.push_back({{"offset", expected.offset.to_string()},
                       {"expected", value_json(expected)},
                       {"got", value_json(got)}});
    reads.push_back({{"actor", trace.actors[read.actor].name},
                     {"op", read.op},
                     {"range", range},
                     {"first_step", read.first_step},
                     {"result", entry_offsets(read.result)},
                     {"visible", v.visible},
                     {"ok", v.ok},
                     {"missing", entry_offsets(v.missing)},
                     {"extra", entry_offsets(v.extra)},
                     {"duplicated", entry_offsets(v.duplicated)},
                     {"out_of_order", entry_offsets(v.out_of_order)},
                     {"wrong_value", wrong},
                     {"summary", describe(v)}});
  }
  return {{"strategy", strategy_name(run.strategy)},
          {"outcome", outcome_name(run.outcome)},
          {"timeline", timeline},
          {"reads", reads},
          {"warnings", warning_texts(run.warnings)}};
}

}  // namespace shapelog::cli
