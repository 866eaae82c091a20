// The operating system's file system: the only code in shapelog that makes file calls.
// PosixFileSystem itself holds no state; each file, lock and region it returns owns its
// descriptor or mapping and releases it when destroyed.
#pragma once

#include "shapelog/file_system.h"

namespace shapelog {

class PosixFileSystem : public FileSystem {
 public:
  std::unique_ptr<ReadableFile> open_read(const std::string& path) override;
  std::unique_ptr<WritableFile> open_append(const std::string& path) override;
  // Writes path + ".tmp", syncs it, renames it over path and syncs the parent directory.
  void write_file(const std::string& path, std::span<const std::byte> contents) override;

  bool exists(const std::string& path) override;
  bool is_directory(const std::string& path) override;
  std::vector<std::string> list(const std::string& dir) override;
  void create_directories(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  void remove(const std::string& path) override;
  void sync_dir(const std::string& dir) override;
  void check_writable(const std::string& dir) override;

  // flock(2) on the lock file, polled every 5 ms. flock locks belong to the open file, so two
  // locks in one process exclude each other too.
  std::unique_ptr<FileLock> lock(const std::string& path, std::chrono::milliseconds timeout,
                                 const std::string& holder_note) override;
  std::unique_ptr<SharedRegion> map_shared(const std::string& path, size_t size) override;
  std::unique_ptr<SharedRegion> map_shared_read_only(const std::string& path, size_t size) override;
  // /proc/sys/kernel/random/boot_id, or "unknown-boot" where it cannot be read.
  std::string boot_id() override;
};

}  // namespace shapelog
