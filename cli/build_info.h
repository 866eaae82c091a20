// What this binary is and what it was built from, for `shapelog --version`,
// `shapelog version --json` and the outputs that carry the version (stat, replay --json,
// stress --json): a bug report that pastes one of them says which shapelog wrote it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace shapelog::cli {

struct BuildInfo {
  std::string version;       // the project's version, "0.1.0"
  std::string commit;        // the git commit built from, or "unknown" outside a checkout
  bool dirty = false;        // tracked files differed from that commit
  std::string compiler;      // "GNU 12.2.0"
  std::string build_type;    // "Release", "RelWithDebInfo", ...
  std::string log_format;    // the log directory's format, "shapelog-log/1"
  std::string trace_format;  // "shapelog-trace/1"
};

const BuildInfo& build_info();

// `shapelog --version`: "shapelog 0.1.0" on the first line (as help2man and most tools
// expect), then the commit, the build and the formats.
std::string version_text();

// Every field: `shapelog version --json`.
nlohmann::json build_info_json();

// The "shapelog" field of stat, replay --json and stress --json: {"version", "commit"}.
nlohmann::json version_stamp();

}  // namespace shapelog::cli
