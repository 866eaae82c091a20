// ETF terms as JSON, for `electric stat`: a LogOffset as "TX_OP" (:infinity as "TX_infinity",
// before_all as "-1"), true/false/nil as JSON, other atoms and UTF-8 binaries as strings,
// binaries that are not UTF-8 as {"bytes_hex": ...}, tuples and lists as arrays, maps as
// objects (a key that is not an atom or a binary is written as its JSON text).
#pragma once

#include <nlohmann/json.hpp>

#include "electric/etf_term.h"

namespace shapelog::electric {

nlohmann::json term_to_json(const Term& term);

}  // namespace shapelog::electric
