// What every subcommand shares: the log directory option and the file system.
#pragma once

#include <memory>
#include <string>

#include "shapelog/file_system.h"

namespace shapelog::cli {

inline constexpr const char* kDefaultDir = "shapelog-data";

struct AppContext {
  std::string dir = kDefaultDir;  // --dir, or SHAPELOG_DIR
  std::unique_ptr<FileSystem> fs;
};

}  // namespace shapelog::cli
