#include "storage/temporary_directory.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog {

TemporaryDirectory::TemporaryDirectory(std::string_view purpose) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      fmt::format("{}/shapelog-{}-XXXXXX", base && *base ? base : "/tmp", purpose);
  if (!::mkdtemp(pattern.data()))
    throw Error(ErrorKind::Io, fmt::format("cannot create a temporary directory '{}': {}", pattern,
                                           std::strerror(errno)));
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace shapelog
