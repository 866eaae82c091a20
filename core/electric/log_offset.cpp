#include "electric/log_offset.h"

#include <charconv>

#include <fmt/format.h>

namespace shapelog::electric {

std::string LogOffset::to_string() const {
  if (before_all) return "-1";
  if (op_infinity) return fmt::format("{}_infinity", tx);
  return fmt::format("{}_{}", tx, op);
}

bool LogOffset::is_before(const Offset& record) const {
  if (before_all) return true;
  if (record.tx() != tx) return record.tx() > tx;
  return !op_infinity && record.op() > op;
}

namespace {

// An integer term in 0..2^64-1 (LSNs past 2^63 arrive as big integers).
std::optional<uint64_t> unsigned_value(const Term& term) {
  if (term.kind == Term::Kind::Integer)
    return term.integer >= 0 ? std::optional<uint64_t>(static_cast<uint64_t>(term.integer))
                             : std::nullopt;
  if (term.kind != Term::Kind::BigInteger) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(term.text.data(), term.text.data() + term.text.size(), value);
  if (ec != std::errc() || end != term.text.data() + term.text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<LogOffset> log_offset_from_term(const Term& term) {
  const Term* name = term.field("__struct__");
  if (!name || !name->is_atom("Elixir.Electric.Replication.LogOffset")) return std::nullopt;
  const Term* tx = term.field("tx_offset");
  const Term* op = term.field("op_offset");
  if (!tx || !op) return std::nullopt;
  LogOffset offset;
  if (tx->kind == Term::Kind::Integer && tx->integer == -1) {
    offset.before_all = true;
  } else if (auto value = unsigned_value(*tx)) {
    offset.tx = *value;
  } else {
    return std::nullopt;
  }
  if (op->is_atom("infinity")) {
    offset.op_infinity = true;
  } else if (auto value = unsigned_value(*op)) {
    offset.op = *value;
  } else {
    return std::nullopt;
  }
  return offset;
}

}  // namespace shapelog::electric
