// shapelog version: what this binary is and what it was built from (also `shapelog --version`).
#include "build_info.h"
#include "commands/commands.h"
#include "output/output.h"
#include "trace/json_text.h"

namespace shapelog::cli {

CommandRun setup_version(CLI::App& app, AppContext&) {
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand(
      "version",
      "Print the version, the git commit it was built from, the compiler, the build "
      "type, and the log and trace format versions");
  command->add_flag("--json", *json, "Print one JSON object for scripts");
  return [json] {
    Output out;
    out.line(*json ? compact_json(build_info_json()) : version_text());
    return 0;
  };
}

}  // namespace shapelog::cli
