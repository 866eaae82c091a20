// `electric check`: everything about a shape directory that can be checked without Electric
// (the table in the format reference, section 9). Findings stream to a callback as they are
// found, so a damaged log of any size is checked in constant memory. A finding is damage, or
// a state a live or crashed writer leaves that Electric's recovery trims on restart (bytes
// past the last persisted transaction, a record cut short there, chunk halves written ahead).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "electric/shape_dir.h"

namespace shapelog::electric {

struct Finding {
  std::string file;
  std::optional<uint64_t> pos;  // byte position in file
  const char* kind;             // "torn_record", "offset_order", "json", ...
  std::string reason;
  bool damage;
};

struct CheckSummary {
  uint64_t records = 0;
  uint64_t log_bytes = 0;
  uint64_t snapshot_rows = 0;
  uint64_t damage = 0;
  uint64_t notices = 0;
};

struct CheckOptions {
  bool validate_json = true;
};

CheckSummary check_shape(const ShapeDir& shape, const CheckOptions& options,
                         const std::function<void(const Finding&)>& report);

}  // namespace shapelog::electric
