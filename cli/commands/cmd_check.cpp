// shapelog check [--repair]: verify every record and the index.
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/commands.h"
#include "exit_codes.h"
#include "input/number_flags.h"
#include "output/output.h"
#include "segment/log_checker.h"
#include "trace/json_text.h"

namespace shapelog::cli {

namespace {

struct CheckOptions {
  bool repair = false;
  uint64_t lock_timeout_ms = 10'000;
};

void print_report(const CheckReport& report, Output& out) {
  for (const CheckProblem& problem : report.problems)
    out.line(compact_json({{"problem", problem_kind_name(problem.kind)},
                           {"file", problem.file},
                           {"position", problem.position},
                           {"reason", problem.reason}}));
  out.line(compact_json({{"ok", report.damage_count() == 0},
                         {"segments", report.segments},
                         {"records", report.records},
                         {"bytes", report.bytes},
                         {"last", report.last.to_string()},
                         {"problems", report.damage_count()}}));
}

int run_check(const CheckOptions& options, AppContext& context) {
  Output out;
  CheckReport report = check_log(*context.fs, context.dir);
  if (options.repair && report.damage_count() > 0) {
    if (report.has_unrepairable_damage()) {
      print_report(report, out);
      fmt::print(stderr,
                 "shapelog: check: damage in the middle of the log cannot be repaired; only a "
                 "torn tail and the index can. Nothing was changed.\n");
      return kExitFound;
    }
    for (const Warning& note :
         repair_log(*context.fs, context.dir, std::chrono::milliseconds(options.lock_timeout_ms),
                    fmt::format("pid {} (shapelog check --repair)", ::getpid())))
      fmt::print(stderr, "shapelog: repaired: {}\n", warning_text(note));
    report = check_log(*context.fs, context.dir);
  }
  print_report(report, out);
  if (report.damage_count() == 0) return kExitOk;
  out.flush();
  fmt::print(stderr, "shapelog: check: {} problem(s) found{}\n", report.damage_count(),
             report.has_unrepairable_damage() ? "" : "; 'shapelog check --repair' fixes them");
  return kExitFound;
}

}  // namespace

CommandRun setup_check(CLI::App& app, AppContext& context) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand(
      "check", "Verify every record and the index; print each problem as JSON; exit 1 if any");
  command->add_flag("--repair", options->repair,
                    "Cut a torn tail (keeping a copy of the bytes) and rebuild the index");
  add_number_option(*command, "--lock-timeout", options->lock_timeout_ms,
                    "With --repair, how long to wait for the writer lock, in milliseconds",
                    kMaxMilliseconds)
      ->capture_default_str();
  return [options, &context] { return run_check(*options, context); };
}

}  // namespace shapelog::cli
