#include "electric/storage_scan.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog::electric {

namespace {

bool is_real_directory(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void walk(const std::string& dir, int depth, StorageScan& scan) {
  if (is_real_directory(dir + "/log") || is_real_directory(dir + "/metadata")) {
    scan.shape_dirs.push_back(dir);
    return;
  }
  if (depth >= kMaxScanDepth) return;
  DIR* handle = ::opendir(dir.c_str());
  if (!handle) {
    ++scan.unreadable_dirs;
    return;
  }
  std::vector<std::string> children;
  while (dirent* entry = ::readdir(handle)) {
    std::string name = entry->d_name;
    if (name == "." || name == ".." || (depth == 0 && name == ".tmp")) continue;
    struct stat st {};
    const std::string path = dir + "/" + name;
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) ++scan.symlinks_skipped;
    else if (S_ISDIR(st.st_mode)) children.push_back(path);
  }
  ::closedir(handle);
  std::sort(children.begin(), children.end());
  for (const std::string& child : children) walk(child, depth + 1, scan);
}

}  // namespace

StorageScan scan_storage(const std::string& storage_dir) {
  struct stat st {};
  if (::stat(storage_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw_bad_input(
        fmt::format("{} is not a directory; give Electric's storage directory "
                    "(ELECTRIC_STORAGE_DIR/shapes, by default ./persistent/shapes)",
                    storage_dir));
  StorageScan scan;
  std::string root = storage_dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  walk(root, 0, scan);
  return scan;
}

}  // namespace shapelog::electric
