// The --strategy flag of read, replay, explore and stress.
#pragma once

#include <string>
#include <vector>

#include "log/read_strategy.h"

namespace shapelog::cli {

// The strategies the flag names: one, or with allow_all, "all" for every one. Throws
// BadInput listing the valid names.
std::vector<ReadStrategy> strategies_from_flag(const std::string& text, bool allow_all);

}  // namespace shapelog::cli
