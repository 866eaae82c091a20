// shapelog replay TRACE: run a recorded interleaving on the real log code and judge every
// read.
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "build_info.h"
#include "commands/commands.h"
#include "exit_codes.h"
#include "input/number_flags.h"
#include "input/strategy_flag.h"
#include "output/color.h"
#include "output/html_timeline.h"
#include "output/output.h"
#include "output/run_report.h"
#include "shapelog/error.h"
#include "shapelog/schedule_policies.h"
#include "shapelog/trace_file.h"
#include "trace/json_text.h"
#include "trace_runs.h"

namespace shapelog::cli {

namespace {

struct ReplayOptions {
  std::string trace_path;
  std::string strategy;  // set by add_strategy_option
  bool json = false;
  bool verify = false;
  bool quiet = false;
  bool on_disk = false;
  uint64_t max_trace_bytes = kDefaultMaxTraceBytes;
  std::string html;  // --html FILE, "-" for stdout
};

// A schedule of a million elements that do nothing would print a million warnings.
constexpr size_t kMaxWarningsShown = 20;

std::vector<ReadStrategy> strategies_to_run(const ReplayOptions& options, const Trace& trace) {
  if (options.verify) {
    if (trace.expect.empty())
      throw_bad_input(
          fmt::format("--verify needs an \"expect\" table in trace '{}' (strategy "
                      "name -> \"race\" or \"ok\"); add one or drop --verify",
                      options.trace_path));
    std::vector<ReadStrategy> strategies;
    for (const auto& [strategy, outcome] : trace.expect) strategies.push_back(strategy);
    return strategies;
  }
  return strategies_from_flag(options.strategy, true);
}

// The command line that reproduces the runs, for the HTML page.
std::string replay_command(const ReplayOptions& options) {
  return fmt::format("shapelog replay {} {}{}", shell_quote(options.trace_path),
                     options.verify ? "--verify" : "--strategy " + shell_quote(options.strategy),
                     options.on_disk ? " --on-disk" : "");
}

// The last line of `replay --verify`: the result a script or a newcomer looks for.
std::string verify_line(size_t runs, const std::vector<std::string>& differing) {
  if (differing.empty())
    return fmt::format("verify: {}, all {} outcomes are the ones the trace expects", as_good("ok"),
                       runs);
  return fmt::format("verify: {}, {} of {} outcomes differ from the trace's expect table: {}",
                     as_bad("FAILED"), differing.size(), runs, fmt::join(differing, ", "));
}

int run_replay(const ReplayOptions& options, AppContext&) {
  Trace trace = load_trace_file(options.trace_path, options.max_trace_bytes);
  std::vector<ReadStrategy> strategies = strategies_to_run(options, trace);
  bool on_disk = wants_disk(trace, options.on_disk);

  std::vector<RunResult> runs;
  for (ReadStrategy strategy : strategies) {
    ReplayPolicy policy(trace);
    runs.push_back(run_on_fresh_log(trace, strategy, on_disk, policy));
  }

  bool any_race = false;
  std::vector<std::string> differing;  // "recheck (expected ok, got race)"
  for (const RunResult& run : runs) {
    any_race = any_race || run.outcome == Outcome::Race;
    auto expected = trace.expect.find(run.strategy);
    if (expected != trace.expect.end() && expected->second != run.outcome)
      differing.push_back(fmt::format("{} (expected {}, got {})", strategy_name(run.strategy),
                                      outcome_name(expected->second), outcome_name(run.outcome)));
  }
  // The schedule is the same for every strategy; warn once per distinct message.
  std::unordered_set<std::string> warned;
  for (const RunResult& run : runs)
    for (const Warning& warning : run.warnings) {
      std::string text = warning_text(warning);
      if (warned.insert(text).second && warned.size() <= kMaxWarningsShown)
        fmt::print(stderr, "shapelog: warning: {}\n", text);
    }
  if (warned.size() > kMaxWarningsShown)
    fmt::print(stderr,
               "shapelog: warning: {} more warnings not shown (replay --json lists them "
               "all)\n",
               warned.size() - kMaxWarningsShown);

  const int status = options.verify ? (differing.empty() ? kExitOk : kExitFound)
                                    : (any_race ? kExitFound : kExitOk);
  if (!options.html.empty()) {
    std::string page = html_timeline(trace, runs, replay_command(options));
    if (options.html == "-") {
      Output out;
      out.write(page);
      return status;
    }
    write_file_checked(options.html, page);
  }

  Output out;
  if (options.json) {
    nlohmann::json document = {
        {"trace", trace.name}, {"runs", nlohmann::json::array()}, {"shapelog", version_stamp()}};
    for (const RunResult& run : runs) {
      nlohmann::json json = run_to_json(trace, run);
      auto expected = trace.expect.find(run.strategy);
      if (expected != trace.expect.end()) json["expected"] = outcome_name(expected->second);
      document["runs"].push_back(std::move(json));
    }
    if (options.verify) document["verified"] = differing.empty();
    out.line(compact_json(document));
  } else {
    if (!options.quiet)
      for (const RunResult& run : runs) out.write(render_run(trace, run) + "\n");
    out.line(fmt::format("{:<12} {:<8} {:<10} {}", "strategy", "outcome", "bad reads", "expected"));
    for (const RunResult& run : runs) {
      size_t bad = std::count_if(run.reads.begin(), run.reads.end(),
                                 [](const ReadRecord& r) { return !r.verdict.ok; });
      auto expected = trace.expect.find(run.strategy);
      std::string expectation =
          expected == trace.expect.end()
              ? "-"
              : fmt::format(
                    "{} ({})", outcome_name(expected->second),
                    expected->second == run.outcome ? as_good("matches") : as_bad("DIFFERS"));
      out.line(fmt::format("{:<12} {} {:<10} {}", strategy_name(run.strategy),
                           outcome_text(run.outcome, 8),
                           fmt::format("{}/{}", bad, run.reads.size()), expectation));
    }
    if (options.verify) out.line(verify_line(runs.size(), differing));
  }
  return status;
}

}  // namespace

CommandRun setup_replay(CLI::App& app, AppContext& context) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* command = app.add_subcommand(
      "replay",
      "Run a trace's interleaving on the real log code, step by step, and judge every read. "
      "Exit 0: no race; 1: a race (or, with --verify, an outcome differs from expect); 2: bad "
      "trace");
  command->add_option("TRACE", options->trace_path, "Trace file (shapelog-trace/1 JSON)")
      ->required();
  add_strategy_option(*command, options->strategy, true);
  command->add_flag("--json", options->json, "Print one JSON document for scripts");
  command->add_flag("--verify", options->verify,
                    "Run the strategies of the trace's expect table; exit 0 only if all match");
  command->add_flag("-q,--quiet", options->quiet,
                    "Only print the outcome table (and, with --verify, its result)");
  command->add_option("--html", options->html,
                      "Also write the runs as one self-contained HTML page to FILE (- for "
                      "stdout, instead of the text)");
  command->add_flag("--on-disk", options->on_disk,
                    "Use a real temporary directory instead of in-memory storage");
  add_number_option(*command, "--max-trace-bytes", options->max_trace_bytes,
                    "Refuse trace files larger than this, before parsing them")
      ->capture_default_str();
  return [options, &context] { return run_replay(*options, context); };
}

}  // namespace shapelog::cli
