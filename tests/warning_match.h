// Finding a warning by its kind, for tests that check what the log or a replay warned of.
#pragma once

#include <variant>
#include <vector>

#include "shapelog/warning.h"

namespace shapelog::testing {

// The first of warnings that is a Kind (warning::TornTailCut, ...), or nullptr.
template <class Kind>
const Kind* find_warning(const std::vector<Warning>& warnings) {
  for (const Warning& warning : warnings)
    if (const Kind* found = std::get_if<Kind>(&warning)) return found;
  return nullptr;
}

}  // namespace shapelog::testing
