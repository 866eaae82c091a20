// A FileSystem that forwards to another one and fails chosen calls, to test how the log
// survives ENOSPC and EIO. It counts the calls that change files, per kind; a Fault rule
// makes the nth call of a kind (counted from when the rule was added) throw
// Error(Io, "<what> '<path>': <strerror> (ENOSPC, injected)") instead of reaching the inner
// file system. WritableFiles it opens are wrapped so that their calls count too.
//
// It does not own the inner file system, which must outlive it and everything it returns.
// Counting and the rules are guarded by a mutex, so threads may share one instance.
#pragma once

#include <array>
#include <mutex>
#include <optional>

#include "shapelog/file_system.h"

namespace shapelog {

enum class FsCall {
  OpenAppend,
  Append,
  Sync,
  Truncate,
  WriteFile,
  Rename,
  Remove,
  SyncDir,
  CreateDirectories,
  MapShared,
};
inline constexpr size_t kFsCallKinds = static_cast<size_t>(FsCall::MapShared) + 1;

struct Fault {
  FsCall call;
  uint64_t nth;  // 1-based, counted from when the rule was added
  int error;     // errno to report: ENOSPC or EIO
  // Append only: write this many bytes of the data first, then fail.
  std::optional<size_t> torn_bytes = std::nullopt;
  bool sticky = false;  // keep failing every later call of that kind too
};

class FaultyFileSystem : public FileSystem {
 public:
  explicit FaultyFileSystem(FileSystem& inner) : inner_(inner) {}

  void add_fault(const Fault& fault);
  void clear_faults();
  // How many calls of that kind were made, failed ones included.
  uint64_t calls(FsCall call) const;

  // Readable files are the inner file system's own: reads are never failed.
  std::unique_ptr<ReadableFile> open_read(const std::string& path) override;
  std::unique_ptr<WritableFile> open_append(const std::string& path) override;
  void write_file(const std::string& path, std::span<const std::byte> contents) override;

  bool exists(const std::string& path) override;
  bool is_directory(const std::string& path) override;
  std::vector<std::string> list(const std::string& dir) override;
  void create_directories(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  void remove(const std::string& path) override;
  void sync_dir(const std::string& dir) override;
  void check_writable(const std::string& dir) override;

  std::unique_ptr<FileLock> lock(const std::string& path, std::chrono::milliseconds timeout,
                                 const std::string& holder_note) override;
  std::unique_ptr<SharedRegion> map_shared(const std::string& path, size_t size) override;
  std::unique_ptr<SharedRegion> map_shared_read_only(const std::string& path, size_t size) override;
  std::string boot_id() override;

 private:
  class FaultyWritableFile;
  struct Rule {
    Fault fault;
    uint64_t calls_before;  // calls(fault.call) when the rule was added
  };

  // Counts one call and returns the fault to inject into it, if any.
  std::optional<Fault> count(FsCall call);
  // Counts one call and throws if a rule fails it.
  void count_and_check(FsCall call, std::string_view what, const std::string& path);

  FileSystem& inner_;
  mutable std::mutex mutex_;
  std::array<uint64_t, kFsCallKinds> calls_{};
  std::vector<Rule> rules_;
};

}  // namespace shapelog
