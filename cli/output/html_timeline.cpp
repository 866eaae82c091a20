#include "output/html_timeline.h"

#include <algorithm>
#include <cctype>
#include <deque>

#include <fmt/format.h>

#include "build_info.h"
#include "output/html_page_script.h"
#include "output/run_report.h"
#include "trace/json_text.h"

namespace shapelog::cli {

namespace {

// The writer's state after a step. last_seen, last_persisted, generation and the disk's last
// entry are the real writer's, read by the run after every step (WriterView); the buffer's
// entries are as the steps show them (appends fill it, a trim drops what is persisted):
// walking the real buffer after every step would cost each of explore's many runs as much.
struct WriterState {
  WriterView writer;
  std::deque<Offset> buffer;

  void apply(const TimelineRow& row) {
    writer = row.writer;
    const PointEvent& e = row.event;
    if (e.point == Point::AppendBuffer) {
      // One transaction's entries are tx_0 .. tx_(n-1); list them when that is what the
      // step says it appended, else only its first and last.
      if (e.entries > 0 && e.first.tx() == e.last.tx() &&
          e.last.op() - e.first.op() + 1 == e.entries) {
        for (uint64_t op = e.first.op(); op <= e.last.op(); ++op)
          buffer.emplace_back(e.first.tx(), op);
      } else if (e.entries > 0) {
        buffer.push_back(e.first);
        if (e.last != e.first) buffer.push_back(e.last);
      }
    } else if (e.point == Point::FlushTrim) {
      while (!buffer.empty() && buffer.front() <= writer.meta.last_persisted) buffer.pop_front();
    }
  }

  std::string text() const {
    std::string buffered = "empty";
    if (buffer.size() == 1) buffered = buffer.front().to_string();
    if (buffer.size() > 1)
      buffered = fmt::format("{} entries ({}..{})", buffer.size(), buffer.front(), buffer.back());
    return fmt::format(
        "seen={} persisted={} gen={} buffer={} disk={}", writer.meta.last_seen,
        writer.meta.last_persisted, writer.meta.generation, buffered,
        writer.disk_last.is_before_all() ? "empty" : "up to " + writer.disk_last.to_string());
  }
};

WriterState initial_state(const Trace& trace, const RunResult& run) {
  WriterState state{run.initial_writer, {}};
  for (const Entry& entry : trace.initial_buffered) state.buffer.push_back(entry.offset);
  return state;
}

std::string offsets_text(const std::vector<Entry>& entries) {
  std::string text;
  for (const Entry& entry : entries) {
    if (!text.empty()) text += ", ";
    text += entry.offset.to_string();
  }
  return text;
}

// "<li>missing: 11_0, 11_1</li>" for each kind of damage the read has.
std::string damage_items(const ReadVerdict& v) {
  std::string out;
  auto item = [&](std::string_view kind, const std::vector<Entry>& entries) {
    if (!entries.empty())
      out += fmt::format("<li class=\"damage\" data-kind=\"{}\"><b>{}</b>: {}</li>", kind, kind,
                         html_escape(offsets_text(entries)));
  };
  item("missing", v.missing);
  item("extra", v.extra);
  item("duplicated", v.duplicated);
  item("out-of-order", v.out_of_order);
  for (const auto& [expected, got] : v.wrong_value)
    out += fmt::format(
        "<li class=\"damage\" data-kind=\"wrong-value\"><b>wrong value</b> at {}: expected "
        "<code>{}</code>, got <code>{}</code></li>",
        expected.offset, html_escape(expected.bytes), html_escape(got.bytes));
  return out;
}

std::string run_id(const RunResult& run) { return fmt::format("run-{}", run.strategy); }

// Past this many steps (or reads) a run's rows are not written as markup: the page carries
// them as JSON and its script renders only those in view. bench_replay's 100k-step trace as
// markup made a 30 MB page that took chromium 27 s and 578 MB to load (BENCHMARKS.md).
constexpr size_t kMarkupRows = 2000;
// Warnings past this many are counted, not listed (the text output does the same).
constexpr size_t kWarningsShown = 20;

// JSON that can sit inside <script>: < > & are escaped, so no value can close the element.
std::string script_json(const nlohmann::json& data) {
  std::string text = compact_json(data);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

// ["missing", "missing", "11_0, 11_1"] for each kind of damage the read has.
nlohmann::json damage_data(const ReadVerdict& v) {
  nlohmann::json out = nlohmann::json::array();
  auto item = [&](std::string_view kind, const std::vector<Entry>& entries) {
    if (!entries.empty())
      out.push_back({std::string(kind), std::string(kind), offsets_text(entries)});
  };
  item("missing", v.missing);
  item("extra", v.extra);
  item("duplicated", v.duplicated);
  item("out-of-order", v.out_of_order);
  for (const auto& [expected, got] : v.wrong_value)
    out.push_back(
        {"wrong-value", "wrong value",
         fmt::format("at {}: expected {}, got {}", expected.offset, expected.bytes, got.bytes)});
  return out;
}

std::string lanes_head(const Trace& trace) {
  std::string out = "<thead><tr><th>step</th>";
  for (const Actor& actor : trace.actors)
    out += fmt::format("<th class=\"lane\">{}</th>", html_escape(actor.name));
  return out + "<th class=\"state\">writer state after the step</th></tr></thead>\n";
}

std::string step_rows_markup(const Trace& trace, const RunResult& run,
                             const std::vector<uint64_t>& bad_starts) {
  const std::string id = run_id(run);
  std::string out = "<table class=\"timeline\">" + lanes_head(trace) + "<tbody>\n";
  WriterState state = initial_state(trace, run);
  out += fmt::format(
      "<tr class=\"initial\"><td>-</td><td colspan=\"{}\">initial state</td>"
      "<td class=\"state\">{}</td></tr>\n",
      trace.actors.size(), html_escape(state.text()));
  for (const TimelineRow& row : run.timeline) {
    state.apply(row);
    bool starts_bad = std::find(bad_starts.begin(), bad_starts.end(), row.step) != bad_starts.end();
    out += fmt::format(
        "<tr class=\"step{}\" id=\"{}-step-{}\" tabindex=\"0\" data-step=\"{}\" "
        "data-actor=\"{}\" data-point=\"{}\"><td>{}</td>",
        starts_bad ? " bad-start" : "", id, row.step, row.step,
        html_escape(trace.actors[row.actor].name), point_name(row.event.point), row.step);
    for (size_t a = 0; a < trace.actors.size(); ++a)
      out += a == row.actor
                 ? fmt::format("<td class=\"lane\">{}</td>", html_escape(describe_step(row.event)))
                 : "<td class=\"lane\"></td>";
    out += fmt::format("<td class=\"state\">{}</td></tr>\n", html_escape(state.text()));
  }
  return out + "</tbody></table>\n";
}

// The steps as data for the page's script: [actor, point, detail, state or null when it is
// the previous step's], step i at index i.
void step_rows_data(const Trace& trace, const RunResult& run, nlohmann::json& data) {
  WriterState state = initial_state(trace, run);
  std::string previous = state.text();
  data["initial"] = previous;
  nlohmann::json steps = nlohmann::json::array();
  for (const TimelineRow& row : run.timeline) {
    state.apply(row);
    std::string text = state.text();
    nlohmann::json changed = nullptr;
    if (text != previous) changed = text;
    steps.push_back({row.actor, static_cast<size_t>(row.event.point), describe_step(row.event),
                     std::move(changed)});
    previous = std::move(text);
  }
  data["steps"] = std::move(steps);
}

std::string read_markup(const Trace& trace, const RunResult& run, size_t i) {
  const std::string id = run_id(run);
  const ReadRecord& read = run.reads[i];
  const bool ok = read.verdict.ok;
  std::string out = fmt::format(
      "<li class=\"read {}\" id=\"{}-read-{}\" tabindex=\"-1\" data-actor=\"{}\" "
      "data-step=\"{}\" data-verdict=\"{}\"><span class=\"verdict\">{}</span> {} op {} ({}), "
      "from <a href=\"#{}-step-{}\">step {}</a>: {}",
      ok ? "ok" : "bad", id, i, html_escape(trace.actors[read.actor].name), read.first_step,
      ok ? "ok" : "wrong", ok ? "OK" : "WRONG", html_escape(trace.actors[read.actor].name), read.op,
      html_escape(describe_range(read.range)), id, read.first_step, read.first_step,
      html_escape(describe(read.verdict)));
  if (!ok) out += "<ul>" + damage_items(read.verdict) + "</ul>";
  return out + "</li>\n";
}

// The reads as data: [actor, op, range, first step, ok, verdict, damage].
nlohmann::json reads_data(const RunResult& run) {
  nlohmann::json reads = nlohmann::json::array();
  for (const ReadRecord& read : run.reads)
    reads.push_back({read.actor, read.op, describe_range(read.range), read.first_step,
                     read.verdict.ok, describe(read.verdict),
                     read.verdict.ok ? nlohmann::json::array() : damage_data(read.verdict)});
  return reads;
}

std::string warnings_markup(const std::vector<Warning>& warnings) {
  std::string out;
  for (size_t i = 0; i < warnings.size() && i < kWarningsShown; ++i)
    out += fmt::format("<p class=\"warning\">warning: {}</p>\n",
                       html_escape(warning_text(warnings[i])));
  if (warnings.size() > kWarningsShown)
    out += fmt::format(
        "<p class=\"warning more\">{} more warnings not shown (replay --json "
        "lists them all)</p>\n",
        warnings.size() - kWarningsShown);
  return out;
}

std::string run_section(const Trace& trace, const RunResult& run) {
  const std::string id = run_id(run);
  const size_t bad = std::count_if(run.reads.begin(), run.reads.end(),
                                   [](const ReadRecord& r) { return !r.verdict.ok; });
  std::string out = fmt::format(
      "<section class=\"run\" id=\"{}\" data-strategy=\"{}\" data-outcome=\"{}\" "
      "data-steps=\"{}\">\n<h2>strategy {}: <span class=\"outcome {}\">{}</span></h2>\n",
      id, run.strategy, outcome_name(run.outcome), run.timeline.size(), run.strategy,
      outcome_name(run.outcome), run.outcome == Outcome::Race ? "RACE" : "ok");
  auto first_bad = std::find_if(run.reads.begin(), run.reads.end(),
                                [](const ReadRecord& r) { return !r.verdict.ok; });
  if (first_bad != run.reads.end())
    out += fmt::format(
        "<p><a class=\"jump\" href=\"#{}-read-{}\">jump to the first bad read</a>"
        " ({} of {} reads are wrong)</p>\n",
        id, first_bad - run.reads.begin(), bad, run.reads.size());

  // The steps at which a bad read began, to mark their rows.
  std::vector<uint64_t> bad_starts;
  for (const ReadRecord& read : run.reads)
    if (!read.verdict.ok) bad_starts.push_back(read.first_step);

  const bool steps_as_data = run.timeline.size() > kMarkupRows;
  const bool reads_as_data = run.reads.size() > kMarkupRows;
  nlohmann::json data = {{"actors", nlohmann::json::array()},
                         {"points", nlohmann::json::array()},
                         {"bad_starts", bad_starts}};
  for (const Actor& actor : trace.actors) data["actors"].push_back(actor.name);
  for (Point point : kAllPoints) data["points"].push_back(std::string(point_name(point)));
  if (steps_as_data || reads_as_data)
    out += fmt::format(
        "<p class=\"virtual-note\">{} steps and {} reads: only the rows in view are in the page, "
        "so the browser's find sees only those; the box below finds any step.</p>\n"
        "<p><input type=\"search\" class=\"find\" aria-label=\"find a step\" placeholder=\"step "
        "number or text\"> <span class=\"found\" aria-live=\"polite\"></span></p>\n",
        run.timeline.size(), run.reads.size());
  if (steps_as_data) {
    step_rows_data(trace, run, data);
    out += fmt::format("<p class=\"initial\">initial state: {}</p>\n",
                       html_escape(initial_state(trace, run).text()));
    out += "<div class=\"scroller\"><table class=\"timeline virtual\">" + lanes_head(trace) +
           "<tbody></tbody></table></div>\n";
  } else {
    out += step_rows_markup(trace, run, bad_starts);
  }
  out += "<h3>reads</h3>\n";
  if (reads_as_data) {
    data["reads"] = reads_data(run);
    out += "<div class=\"scroller\"><ol class=\"reads virtual\"></ol></div>\n";
  } else {
    out += "<ol class=\"reads\">\n";
    if (run.reads.empty()) out += "<li>(none)</li>\n";
    for (size_t i = 0; i < run.reads.size(); ++i) out += read_markup(trace, run, i);
    out += "</ol>\n";
  }
  if (steps_as_data || reads_as_data)
    out +=
        "<script type=\"application/json\" class=\"run-data\">" + script_json(data) + "</script>\n";
  out += warnings_markup(run.warnings);
  return out + "</section>\n";
}

using TracedRuns = std::vector<std::pair<const Trace*, const RunResult*>>;

std::string outcome_table(const TracedRuns& runs) {
  std::string out =
      "<table class=\"outcomes\"><thead><tr><th>strategy</th><th>outcome</th><th>bad reads</th>"
      "<th>expected</th></tr></thead><tbody>\n";
  for (const auto& [trace_of_run, run_of_trace] : runs) {
    const Trace& trace = *trace_of_run;
    const RunResult& run = *run_of_trace;
    size_t bad = std::count_if(run.reads.begin(), run.reads.end(),
                               [](const ReadRecord& r) { return !r.verdict.ok; });
    auto expected = trace.expect.find(run.strategy);
    std::string expectation = "-";
    if (expected != trace.expect.end())
      expectation = fmt::format("{} ({})", outcome_name(expected->second),
                                expected->second == run.outcome ? "matches" : "DIFFERS");
    out += fmt::format(
        "<tr data-strategy=\"{}\" data-outcome=\"{}\"><td><a class=\"tab\" href=\"#{}\">{}</a>"
        "</td><td class=\"outcome {}\">{}</td><td>{}/{}</td><td>{}</td></tr>\n",
        run.strategy, outcome_name(run.outcome), run_id(run), run.strategy,
        outcome_name(run.outcome), run.outcome == Outcome::Race ? "RACE" : "ok", bad,
        run.reads.size(), expectation);
  }
  return out + "</tbody></table>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&#39;";
        ++i;
        continue;
      default: break;
    }
    if (c < 0x80) {
      // Control characters other than tab and newline are not allowed in HTML text.
      out += (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? std::string("\uFFFD")
                                                               : std::string(1, char(c));
      ++i;
      continue;
    }
    // A well-formed multi-byte sequence is copied; anything else becomes U+FFFD.
    size_t length = c >= 0xf0 && c <= 0xf4  ? 4
                    : c >= 0xe0 && c < 0xf0 ? 3
                    : c >= 0xc2 && c < 0xe0 ? 2
                                            : 0;
    bool valid = length > 0 && i + length <= text.size();
    uint32_t code = valid ? c & (0x7f >> length) : 0;
    for (size_t k = 1; valid && k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xc0) == 0x80;
      code = (code << 6) | (next & 0x3f);
    }
    valid = valid && !(length == 3 && (code < 0x800 || (code >= 0xd800 && code <= 0xdfff))) &&
            !(length == 4 && (code < 0x10000 || code > 0x10ffff));
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\uFFFD";
      ++i;
    }
  }
  return out;
}

std::string shell_quote(std::string_view word) {
  bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
  });
  if (safe) return std::string(word);
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

namespace {

std::string page(const Trace& trace, const TracedRuns& runs, std::string_view command) {
  const std::string name = trace.name.empty() ? "(unnamed)" : trace.name;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<title>shapelog: {}</title>\n<style>{}</style></head><body>\n"
      "<h1>trace <span id=\"trace-name\">{}</span></h1>\n<p id=\"description\">{}</p>\n"
      "<p>reproduce: <code id=\"command\">{}</code><br>shapelog <span id=\"version\">{}</span> "
      "(commit {})</p>\n",
      html_escape(name), kPageStyle, html_escape(name), html_escape(trace.description),
      html_escape(command), html_escape(build_info().version), html_escape(build_info().commit));
  out += outcome_table(runs);
  out +=
      "<div id=\"selected\" aria-live=\"polite\">hover or click a step, or focus it and use "
      "j/k or the arrow keys, to see the writer's state there</div>\n";
  for (const auto& [trace_of_run, run] : runs) out += run_section(*trace_of_run, *run);
  return out + fmt::format("<script>{}</script>\n</body></html>\n", kPageScript);
}

}  // namespace

std::string html_timeline(const Trace& trace, const std::vector<RunResult>& runs,
                          std::string_view command) {
  TracedRuns traced;
  for (const RunResult& run : runs) traced.emplace_back(&trace, &run);
  return page(trace, traced, command);
}

std::string html_timeline(const Trace& searched,
                          const std::vector<std::pair<Trace, RunResult>>& runs,
                          std::string_view command) {
  TracedRuns traced;
  for (const auto& [trace, run] : runs) traced.emplace_back(&trace, &run);
  return page(searched, traced, command);
}

}  // namespace shapelog::cli
