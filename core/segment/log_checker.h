// `shapelog check`: verifies every record of every segment and every index entry, and says
// what is wrong and where. `--repair` fixes what can be fixed without guessing: a torn tail
// (cut, with a copy of the cut bytes kept) and the index (rebuilt).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "shapelog/file_system.h"
#include "shapelog/offset.h"
#include "shapelog/warning.h"

namespace shapelog {

struct CheckProblem {
  enum class Kind { TornTail, Damage, Index, UnknownFile };
  Kind kind;
  std::string file;
  uint64_t position = 0;
  std::string reason;
};

std::string_view problem_kind_name(CheckProblem::Kind kind);

struct CheckReport {
  std::vector<CheckProblem> problems;
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t bytes = 0;
  Offset last = Offset::before_all();

  // Problems that make the log damaged (unknown files are only noted).
  size_t damage_count() const;
  // True when damage exists that --repair cannot fix (anything but a torn tail or index).
  bool has_unrepairable_damage() const;
};

CheckReport check_log(FileSystem& fs, const std::string& dir);

// Cuts a torn tail and rebuilds the index, holding the writer lock. Returns what it did.
std::vector<Warning> repair_log(FileSystem& fs, const std::string& dir,
                                std::chrono::milliseconds lock_timeout,
                                const std::string& holder_note);

}  // namespace shapelog
