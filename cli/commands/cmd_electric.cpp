// shapelog electric: the group of commands that inspect Electric's PureFileStorage shape logs.
#include <map>

#include "commands/electric_commands.h"

namespace shapelog::cli {

CommandRun setup_electric(CLI::App& app, AppContext&) {
  CLI::App* group = app.add_subcommand(
      "electric",
      "Inspect ElectricSQL shape logs (PureFileStorage): ls, stat, read, check; read-only");
  group->require_subcommand(1);
  auto runs = std::make_shared<std::map<CLI::App*, CommandRun>>();
  for (auto setup :
       {setup_electric_ls, setup_electric_stat, setup_electric_read, setup_electric_check}) {
    CommandRun run = setup(*group);
    (*runs)[group->get_subcommands({}).back()] = std::move(run);
  }
  return [group, runs] { return runs->at(group->get_subcommands().front())(); };
}

}  // namespace shapelog::cli
