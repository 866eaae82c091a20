// A file system entirely in memory, for tests, replay and explore. It models what a crash
// keeps:
//   - file contents are durable up to the last WritableFile::sync (write_file syncs);
//   - file creations, renames and removals are durable once the parent directory is synced
//     (write_file syncs the parent, like PosixFileSystem);
//   - directories are durable as soon as they are created;
//   - shared regions survive a crash with whatever bytes they held.
// simulate_crash() drops everything else, releases every lock and changes boot_id().
//
// Thread-safe: one mutex guards all state, so readers and a writer in different threads may
// share one instance. Files, locks and regions it returns refer back to it and must not
// outlive it. Files are shared data: a ReadableFile sees appends made through a WritableFile,
// and keeps its data after the file is removed or renamed, like an open POSIX file.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

#include "shapelog/file_system.h"

namespace shapelog {

class MemoryFileSystem : public FileSystem {
 public:
  MemoryFileSystem();
  ~MemoryFileSystem() override;

  // Opens a file, or a shared region (reads see the region's current bytes, as reading a
  // mapped POSIX file does).
  std::unique_ptr<ReadableFile> open_read(const std::string& path) override;
  std::unique_ptr<WritableFile> open_append(const std::string& path) override;
  void write_file(const std::string& path, std::span<const std::byte> contents) override;

  bool exists(const std::string& path) override;
  bool is_directory(const std::string& path) override;
  std::vector<std::string> list(const std::string& dir) override;
  void create_directories(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  // Removes a file, or a shared region that is not mapped.
  void remove(const std::string& path) override;
  void sync_dir(const std::string& dir) override;
  void check_writable(const std::string& dir) override;

  std::unique_ptr<FileLock> lock(const std::string& path, std::chrono::milliseconds timeout,
                                 const std::string& holder_note) override;
  // Regions are 64-byte aligned and never move while mapped; growing a region that is
  // mapped throws ErrorKind::Internal.
  std::unique_ptr<SharedRegion> map_shared(const std::string& path, size_t size) override;
  std::unique_ptr<SharedRegion> map_shared_read_only(const std::string& path, size_t size) override;
  // "memory-boot-N", N counting simulated crashes.
  std::string boot_id() override;

  // Loses everything that is not durable (see above), as a power cut would.
  void simulate_crash();

  // Test helpers that inspect or damage a file. Damage counts as durable: it survives
  // simulate_crash() where it lies within the synced bytes.
  std::string read_all(const std::string& path);
  uint64_t synced_size(const std::string& path);
  // Flips the bits of xor_mask in the byte at pos (of a file or a shared region).
  void corrupt(const std::string& path, uint64_t pos, std::byte xor_mask);
  // Sets the size, zero-filling when growing; the new size counts as synced.
  void truncate_file(const std::string& path, uint64_t size);

 private:
  struct FileData {
    std::vector<std::byte> bytes;
    uint64_t synced = 0;  // bytes[0, synced) are durable
  };
  // A file's name: the file it names now, and the one a crash would leave it naming (as of
  // the last sync of its directory). Either may be null: a file created since that sync, or
  // removed since.
  struct FileName {
    std::shared_ptr<FileData> now;
    std::shared_ptr<FileData> durable;
  };
  struct Region {
    std::unique_ptr<std::byte[]> storage;  // a plain allocation: an aligned one costs more
    std::byte* bytes = nullptr;            // the region: 64-byte aligned, inside storage
    size_t size = 0;
    int mappings = 0;
  };
  struct LockHolder {
    std::string note;
    uint64_t token;  // tells a released holder from a later one on the same path
  };
  // Orders paths by length, then bytes: most paths differ in length, so a lookup seldom
  // compares characters. Nothing needs lexicographic order (list() sorts what it returns).
  // Transparent: a std::string_view is looked up without being copied.
  struct PathLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    }
  };
  // Keyed by normalized path.
  template <class Value>
  using PathMap = std::map<std::string, Value, PathLess>;
  class MemoryWritableFile;
  class MemoryReadableFile;
  class MemoryRegionReadableFile;
  class MemoryFileLock;
  class MemorySharedRegion;

  // The *_locked functions expect mutex_ to be held. Paths are normalized.
  void require_directory_locked(std::string_view dir, std::string_view path, bool for_write);
  bool has_file_locked(std::string_view path) const;
  std::shared_ptr<FileData> find_file_locked(std::string_view path);
  std::shared_ptr<FileData> open_or_create_locked(std::string_view path);
  // Makes path name data (a new file, or one renamed there).
  void link_locked(std::string_view path, std::shared_ptr<FileData> data);
  // Takes the file away from its name; the name stays while a crash would bring it back.
  void unlink_locked(PathMap<FileName>::iterator name);
  void sync_dir_locked(std::string_view dir);

  std::mutex mutex_;
  std::condition_variable lock_released_;
  std::set<std::string, PathLess> directories_;
  PathMap<FileName> files_;
  PathMap<Region> regions_;
  PathMap<LockHolder> locks_;
  uint64_t next_lock_token_ = 0;
  uint64_t boot_ = 0;
};

}  // namespace shapelog
