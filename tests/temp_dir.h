// A fresh, empty directory under the system's temporary directory for tests that need real
// files; removed with everything in it.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace shapelog::testing {

struct TempDir {
  std::string path;
  explicit TempDir(std::string_view tag) {
    static int count = 0;
    path = (std::filesystem::temp_directory_path() /
            fmt::format("shapelog-{}-{}-{}", tag, ::getpid(), count++))
               .string();
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace shapelog::testing
