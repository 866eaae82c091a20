#include "build_info.h"

#include <fmt/format.h>

#include "build_info_commit.h"  // generated at build time by cmake/build_info.cmake
#include "segment/record_format.h"
#include "shapelog/trace.h"

namespace shapelog::cli {

namespace {

// The log header is the format name and a newline.
std::string log_format_name() {
  std::string_view header = format::kHeaderContents;
  header.remove_suffix(1);
  return std::string(header);
}

}  // namespace

const BuildInfo& build_info() {
  static const BuildInfo info{.version = SHAPELOG_VERSION,
                              .commit = SHAPELOG_GIT_COMMIT,
                              .dirty = SHAPELOG_GIT_DIRTY,
                              .compiler = SHAPELOG_COMPILER,
                              .build_type = SHAPELOG_BUILD_TYPE,
                              .log_format = log_format_name(),
                              .trace_format = std::string(kTraceFormat)};
  return info;
}

std::string version_text() {
  const BuildInfo& info = build_info();
  return fmt::format("shapelog {}\ncommit {}{}\nbuilt with {}, {}\nlog format {}, trace format {}",
                     info.version, info.commit, info.dirty ? " (with uncommitted changes)" : "",
                     info.compiler, info.build_type, info.log_format, info.trace_format);
}

nlohmann::json build_info_json() {
  const BuildInfo& info = build_info();
  return {{"version", info.version},
          {"commit", info.commit},
          {"dirty", info.dirty},
          {"compiler", info.compiler},
          {"build_type", info.build_type},
          {"log_format", info.log_format},
          {"trace_format", info.trace_format}};
}

nlohmann::json version_stamp() {
  return {{"version", build_info().version}, {"commit", build_info().commit}};
}

}  // namespace shapelog::cli
