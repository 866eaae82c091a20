// "Did you mean ...?" for misspelt names: the known name closest to a given one.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace shapelog {

// The first of `known` nearest to `name` by edit distance (insertions, deletions,
// substitutions and swaps of neighbours), if that distance is at most 2 and at most half the
// known name's length (so "to" does not suggest "op").
std::optional<std::string_view> closest_name(std::string_view name,
                                             std::span<const std::string_view> known);

}  // namespace shapelog
