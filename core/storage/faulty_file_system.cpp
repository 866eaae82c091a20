#include "storage/faulty_file_system.h"

#include <algorithm>

#include <fmt/format.h>

#include "shapelog/error.h"
#include "storage/fs_detail.h"

namespace shapelog {

namespace {

[[noreturn]] void throw_injected(const Fault& fault, std::string_view what,
                                 const std::string& path) {
  throw Error(ErrorKind::Io, fmt::format("{} '{}': {} ({}, injected)", what, path,
                                         fs_detail::errno_description(fault.error),
                                         fs_detail::errno_name(fault.error)));
}

}  // namespace

class FaultyFileSystem::FaultyWritableFile : public WritableFile {
 public:
  FaultyWritableFile(FaultyFileSystem& fs, std::string path, std::unique_ptr<WritableFile> inner)
      : fs_(fs), path_(std::move(path)), inner_(std::move(inner)) {}

  void append(std::span<const std::byte> data) override {
    if (auto fault = fs_.count(FsCall::Append)) {
      if (fault->torn_bytes) inner_->append(data.first(std::min(*fault->torn_bytes, data.size())));
      throw_injected(*fault, "append to", path_);
    }
    inner_->append(data);
  }

  void sync() override {
    fs_.count_and_check(FsCall::Sync, "sync", path_);
    inner_->sync();
  }

  void truncate(uint64_t size) override {
    fs_.count_and_check(FsCall::Truncate, "truncate", path_);
    inner_->truncate(size);
  }

  uint64_t size() const override { return inner_->size(); }

 private:
  FaultyFileSystem& fs_;
  std::string path_;
  std::unique_ptr<WritableFile> inner_;
};

void FaultyFileSystem::add_fault(const Fault& fault) {
  std::lock_guard guard(mutex_);
  rules_.push_back(Rule{fault, calls_[static_cast<size_t>(fault.call)]});
}

void FaultyFileSystem::clear_faults() {
  std::lock_guard guard(mutex_);
  rules_.clear();
}

uint64_t FaultyFileSystem::calls(FsCall call) const {
  std::lock_guard guard(mutex_);
  return calls_[static_cast<size_t>(call)];
}

std::optional<Fault> FaultyFileSystem::count(FsCall call) {
  std::lock_guard guard(mutex_);
  const uint64_t total = ++calls_[static_cast<size_t>(call)];
  for (const Rule& rule : rules_) {
    if (rule.fault.call != call) continue;
    const uint64_t nth = total - rule.calls_before;
    if (nth == rule.fault.nth || (rule.fault.sticky && nth > rule.fault.nth)) return rule.fault;
  }
  return std::nullopt;
}

void FaultyFileSystem::count_and_check(FsCall call, std::string_view what,
                                       const std::string& path) {
  if (auto fault = count(call)) throw_injected(*fault, what, path);
}

std::unique_ptr<ReadableFile> FaultyFileSystem::open_read(const std::string& path) {
  return inner_.open_read(path);
}

std::unique_ptr<WritableFile> FaultyFileSystem::open_append(const std::string& path) {
  count_and_check(FsCall::OpenAppend, "open for append", path);
  return std::make_unique<FaultyWritableFile>(*this, path, inner_.open_append(path));
}

void FaultyFileSystem::write_file(const std::string& path, std::span<const std::byte> contents) {
  count_and_check(FsCall::WriteFile, "write", path);
  inner_.write_file(path, contents);
}

bool FaultyFileSystem::exists(const std::string& path) { return inner_.exists(path); }

bool FaultyFileSystem::is_directory(const std::string& path) { return inner_.is_directory(path); }

std::vector<std::string> FaultyFileSystem::list(const std::string& dir) { return inner_.list(dir); }

void FaultyFileSystem::create_directories(const std::string& path) {
  count_and_check(FsCall::CreateDirectories, "create directory", path);
  inner_.create_directories(path);
}

void FaultyFileSystem::rename(const std::string& from, const std::string& to) {
  count_and_check(FsCall::Rename, fmt::format("rename '{}' to", from), to);
  inner_.rename(from, to);
}

void FaultyFileSystem::remove(const std::string& path) {
  count_and_check(FsCall::Remove, "remove", path);
  inner_.remove(path);
}

void FaultyFileSystem::sync_dir(const std::string& dir) {
  count_and_check(FsCall::SyncDir, "sync directory", dir);
  inner_.sync_dir(dir);
}

void FaultyFileSystem::check_writable(const std::string& dir) { inner_.check_writable(dir); }

std::unique_ptr<FileLock> FaultyFileSystem::lock(const std::string& path,
                                                 std::chrono::milliseconds timeout,
                                                 const std::string& holder_note) {
  return inner_.lock(path, timeout, holder_note);
}

std::unique_ptr<SharedRegion> FaultyFileSystem::map_shared_read_only(const std::string& path,
                                                                     size_t size) {
  return inner_.map_shared_read_only(path, size);
}

std::unique_ptr<SharedRegion> FaultyFileSystem::map_shared(const std::string& path, size_t size) {
  count_and_check(FsCall::MapShared, "map", path);
  return inner_.map_shared(path, size);
}

std::string FaultyFileSystem::boot_id() { return inner_.boot_id(); }

}  // namespace shapelog
