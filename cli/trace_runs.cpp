#include "trace_runs.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/error.h"
#include "storage/memory_file_system.h"
#include "storage/posix_file_system.h"
#include "trace/trace_reader.h"

namespace shapelog::cli {

Trace load_trace_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw_bad_input(fmt::format("trace '{}' is a directory; give a trace file", path));
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw_bad_input(fmt::format("cannot read trace '{}': {}; check the path", path,
                                std::strerror(errno)));
  std::ostringstream text;
  text << file.rdbuf();
  return parse_trace(text.str(), path);
}

bool wants_disk(const Trace& trace, bool on_disk_flag) {
  return on_disk_flag || trace.options.value("storage", std::string("memory")) == "disk";
}

TemporaryDirectory::TemporaryDirectory(const char* purpose) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      fmt::format("{}/shapelog-{}-XXXXXX", base && *base ? base : "/tmp", purpose);
  if (!::mkdtemp(pattern.data()))
    throw Error(ErrorKind::Io, fmt::format("cannot create a temporary directory '{}': {}",
                                           pattern, std::strerror(errno)));
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

RunResult run_on_fresh_log(const Trace& trace, ReadStrategy strategy, bool on_disk,
                           SchedulePolicy& policy) {
  if (on_disk) {
    TemporaryDirectory temporary("replay");
    PosixFileSystem fs;
    return run_trace(trace, RunOptions{strategy, &fs, temporary.path() + "/log"}, policy);
  }
  MemoryFileSystem fs;
  return run_trace(trace, RunOptions{strategy, &fs, "/log"}, policy);
}

}  // namespace shapelog::cli
