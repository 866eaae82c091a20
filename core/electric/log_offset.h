// Electric's LogOffset as stored in metadata (%LogOffset{tx_offset, op_offset}): besides the
// offsets of records it has before_all() = {-1, 0} and last_before_real_offsets() =
// {0, :infinity}, which the record offsets of the log file (two u64) cannot express.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "electric/etf_term.h"
#include "shapelog/offset.h"

namespace shapelog::electric {

struct LogOffset {
  bool before_all = false;  // tx_offset -1
  uint64_t tx = 0;
  bool op_infinity = false;  // op_offset :infinity
  uint64_t op = 0;

  // "TX_OP" as shapelog writes offsets; "-1" for before_all, "TX_infinity".
  std::string to_string() const;
  // True when a record at offset comes after this one.
  bool is_before(const Offset& record) const;
  // True when a record at offset is at exactly this one.
  bool is_at(const Offset& record) const {
    return !before_all && !op_infinity && record.tx() == tx && record.op() == op;
  }
  bool operator==(const LogOffset&) const = default;
};

// The LogOffset a term holds (the struct map, whatever its pair order), or nullopt.
std::optional<LogOffset> log_offset_from_term(const Term& term);

}  // namespace shapelog::electric
