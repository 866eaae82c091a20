// Each subcommand lives in its own file: an options struct, a setup function that declares
// its flags, and a run function. setup returns the run function bound to the parsed options.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "app_context.h"

namespace shapelog::cli {

using CommandRun = std::function<int()>;

CommandRun setup_append(CLI::App& app, AppContext& context);
CommandRun setup_flush(CLI::App& app, AppContext& context);
CommandRun setup_read(CLI::App& app, AppContext& context);
CommandRun setup_stat(CLI::App& app, AppContext& context);
CommandRun setup_check(CLI::App& app, AppContext& context);
CommandRun setup_replay(CLI::App& app, AppContext& context);
CommandRun setup_explore(CLI::App& app, AppContext& context);
CommandRun setup_stress(CLI::App& app, AppContext& context);
CommandRun setup_version(CLI::App& app, AppContext& context);
CommandRun setup_completion(CLI::App& app, AppContext& context);
CommandRun setup_electric(CLI::App& app, AppContext& context);

}  // namespace shapelog::cli
