// The --strategy flag of read, replay, explore and stress.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "shapelog/read_strategy.h"

namespace shapelog::cli {

// The strategies the flag names: one, or with allow_all, "all" for every one. Throws
// BadInput listing the valid names.
std::vector<ReadStrategy> strategies_from_flag(const std::string& text, bool allow_all);

// Adds --strategy to COMMAND, stored in TEXT (set to the default strategy's name); with
// allow_all, "all" is one of its values.
void add_strategy_option(CLI::App& command, std::string& text, bool allow_all);

}  // namespace shapelog::cli
