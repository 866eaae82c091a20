// The subcommands of `shapelog electric`, each in its own cmd_electric_*.cpp, set up like the
// top-level commands (commands.h). They only read: files are opened O_RDONLY, no lock taken.
#pragma once

#include "commands/commands.h"

namespace shapelog::cli {

CommandRun setup_electric_ls(CLI::App& group);
CommandRun setup_electric_stat(CLI::App& group);
CommandRun setup_electric_read(CLI::App& group);
CommandRun setup_electric_check(CLI::App& group);

}  // namespace shapelog::cli
