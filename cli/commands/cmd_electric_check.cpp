// shapelog electric check: one JSON line per problem found in a shape directory, then a
// summary line; exit 1 when any is damage. States a running or crashed writer leaves (bytes
// past the last persisted transaction, chunk halves written ahead of the log) are reported
// with "damage":false, as what Electric's recovery would trim.
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/electric_commands.h"
#include "electric/shape_checker.h"
#include "exit_codes.h"
#include "input/number_flags.h"
#include "output/output.h"
#include "trace/json_text.h"

namespace shapelog::cli {

using namespace shapelog::electric;

namespace {

struct ElectricCheckOptions {
  std::string shape_dir;
  bool no_json = false;
  uint64_t max_per_kind = 100;
};

int run_electric_check(const ElectricCheckOptions& options) {
  const ShapeDir shape = open_shape_dir(options.shape_dir);
  Output out;
  std::map<std::string, uint64_t> per_kind;
  uint64_t unprinted = 0;
  CheckOptions check_options;
  check_options.validate_json = !options.no_json;
  CheckSummary summary = check_shape(shape, check_options, [&](const Finding& finding) {
    if (++per_kind[finding.kind] > options.max_per_kind) {
      ++unprinted;
      return;
    }
    nlohmann::json line{{"file", finding.file},
                        {"pos", finding.pos ? nlohmann::json(*finding.pos) : nullptr},
                        {"kind", finding.kind},
                        {"damage", finding.damage},
                        {"reason", finding.reason}};
    out.line(compact_json(line));
  });
  nlohmann::json line{{"summary",
                       {{"shape_dir", shape.path},
                        {"records", summary.records},
                        {"log_bytes", summary.log_bytes},
                        {"snapshot_rows", summary.snapshot_rows},
                        {"json_validated", check_options.validate_json},
                        {"damage", summary.damage},
                        {"notices", summary.notices},
                        {"not_printed", unprinted},
                        {"kinds", per_kind},
                        {"ok", summary.damage == 0}}}};
  out.line(compact_json(line));
  return summary.damage == 0 ? kExitOk : kExitFound;
}

}  // namespace

CommandRun setup_electric_check(CLI::App& group) {
  auto options = std::make_shared<ElectricCheckOptions>();
  CLI::App* command = group.add_subcommand(
      "check",
      "Check a shape directory: one JSON line per problem, then a summary; exit 1 on damage");
  command
      ->add_option("SHAPE_DIR", options->shape_dir,
                   "The shape's directory, STORAGE_DIR/STACK_ID/ab/cd/HANDLE")
      ->required();
  command->add_flag("--no-json-check", options->no_json,
                    "Do not validate each record's JSON (framing, offsets and index only)");
  add_number_option(*command, "--max-per-kind", options->max_per_kind,
                    "Print at most N problems of each kind (all are counted)")
      ->capture_default_str();
  return [options] { return run_electric_check(*options); };
}

}  // namespace shapelog::cli
