#include "storage/memory_file_system.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "storage/fs_detail.h"

namespace shapelog {

using namespace fs_detail;

namespace {

constexpr std::align_val_t kRegionAlignment{64};

// Collapses repeated slashes, drops a leading "./" and a trailing '/', so that each file
// has one key.
std::string normalize(const std::string& path) {
  // Paths the log builds are already clean; only hand-written ones need the work.
  bool clean = !path.empty() && path.find("//") == std::string::npos &&
               !path.starts_with("./") && (path.size() == 1 || path.back() != '/');
  if (clean) return path;
  std::string out;
  out.reserve(path.size());
  for (char c : path)
    if (c != '/' || out.empty() || out.back() != '/') out += c;
  while (out.starts_with("./")) out.erase(0, 2);
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace

void MemoryFileSystem::AlignedDelete::operator()(std::byte* bytes) const {
  ::operator delete[](bytes, kRegionAlignment);
}

class MemoryFileSystem::MemoryWritableFile : public WritableFile {
 public:
  MemoryWritableFile(MemoryFileSystem& fs, std::string path, std::shared_ptr<FileData> data)
      : fs_(fs), path_(std::move(path)), data_(std::move(data)) {}

  void append(std::span<const std::byte> data) override {
    std::lock_guard guard(fs_.mutex_);
    data_->bytes.insert(data_->bytes.end(), data.begin(), data.end());
  }

  void sync() override {
    std::lock_guard guard(fs_.mutex_);
    data_->synced = data_->bytes.size();
  }

  // The cut counts as durable at once: a crash never brings cut bytes back.
  void truncate(uint64_t size) override {
    std::lock_guard guard(fs_.mutex_);
    if (size > data_->bytes.size())
      throw Error(ErrorKind::Internal, fmt::format("truncate '{}' to {} bytes: the file has only {}",
                                                   path_, size, data_->bytes.size()));
    data_->bytes.resize(size);
    data_->synced = std::min(data_->synced, size);
  }

  uint64_t size() const override {
    std::lock_guard guard(fs_.mutex_);
    return data_->bytes.size();
  }

 private:
  MemoryFileSystem& fs_;
  std::string path_;
  std::shared_ptr<FileData> data_;
};

class MemoryFileSystem::MemoryReadableFile : public ReadableFile {
 public:
  MemoryReadableFile(MemoryFileSystem& fs, std::shared_ptr<FileData> data)
      : fs_(fs), data_(std::move(data)) {}

  size_t read_at(uint64_t pos, std::span<std::byte> out) const override {
    std::lock_guard guard(fs_.mutex_);
    const std::vector<std::byte>& bytes = data_->bytes;
    if (pos >= bytes.size()) return 0;
    const size_t n = std::min<uint64_t>(out.size(), bytes.size() - pos);
    std::memcpy(out.data(), bytes.data() + pos, n);
    return n;
  }

  uint64_t size() const override {
    std::lock_guard guard(fs_.mutex_);
    return data_->bytes.size();
  }

 private:
  MemoryFileSystem& fs_;
  std::shared_ptr<FileData> data_;
};

// A shared region read like a file: every call looks the region up, so it sees the bytes
// (and size) the region has now.
class MemoryFileSystem::MemoryRegionReadableFile : public ReadableFile {
 public:
  MemoryRegionReadableFile(MemoryFileSystem& fs, std::string path)
      : fs_(fs), path_(std::move(path)) {}

  size_t read_at(uint64_t pos, std::span<std::byte> out) const override {
    std::lock_guard guard(fs_.mutex_);
    auto it = fs_.regions_.find(path_);
    if (it == fs_.regions_.end() || pos >= it->second.size) return 0;
    const size_t n = std::min<uint64_t>(out.size(), it->second.size - pos);
    std::memcpy(out.data(), it->second.bytes.get() + pos, n);
    return n;
  }

  uint64_t size() const override {
    std::lock_guard guard(fs_.mutex_);
    auto it = fs_.regions_.find(path_);
    return it == fs_.regions_.end() ? 0 : it->second.size;
  }

 private:
  MemoryFileSystem& fs_;
  std::string path_;
};

class MemoryFileSystem::MemoryFileLock : public FileLock {
 public:
  MemoryFileLock(MemoryFileSystem& fs, std::string path, uint64_t token)
      : fs_(fs), path_(std::move(path)), token_(token) {}
  MemoryFileLock(const MemoryFileLock&) = delete;
  MemoryFileLock& operator=(const MemoryFileLock&) = delete;

  ~MemoryFileLock() override {
    std::lock_guard guard(fs_.mutex_);
    // After simulate_crash() the path may be held by someone else.
    auto it = fs_.locks_.find(path_);
    if (it != fs_.locks_.end() && it->second.token == token_) fs_.locks_.erase(it);
    fs_.lock_released_.notify_all();
  }

 private:
  MemoryFileSystem& fs_;
  std::string path_;
  uint64_t token_;
};

class MemoryFileSystem::MemorySharedRegion : public SharedRegion {
 public:
  MemorySharedRegion(MemoryFileSystem& fs, std::string path, std::span<std::byte> bytes)
      : fs_(fs), path_(std::move(path)), bytes_(bytes) {}
  MemorySharedRegion(const MemorySharedRegion&) = delete;
  MemorySharedRegion& operator=(const MemorySharedRegion&) = delete;

  ~MemorySharedRegion() override {
    std::lock_guard guard(fs_.mutex_);
    --fs_.regions_.at(path_).mappings;
  }

  std::span<std::byte> bytes() override { return bytes_; }

 private:
  MemoryFileSystem& fs_;
  std::string path_;
  std::span<std::byte> bytes_;
};

MemoryFileSystem::MemoryFileSystem() : directories_{"/", "."} {}

MemoryFileSystem::~MemoryFileSystem() = default;

void MemoryFileSystem::require_directory_locked(const std::string& dir, const std::string& path,
                                                bool for_write) {
  if (directories_.contains(dir)) return;
  const int err = files_.contains(dir) || regions_.contains(dir) ? ENOTDIR : ENOENT;
  throw_unusable_path(for_write ? Access::Write : Access::Read, path, err);
}

std::shared_ptr<MemoryFileSystem::FileData> MemoryFileSystem::find_file_locked(
    const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  require_directory_locked(parent_dir(path), path, false);
  throw_unusable_path(Access::Read, path, directories_.contains(path) ? EISDIR : ENOENT);
}

std::shared_ptr<MemoryFileSystem::FileData> MemoryFileSystem::open_or_create_locked(
    const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  require_directory_locked(parent_dir(path), path, true);
  if (directories_.contains(path) || regions_.contains(path))
    throw_io("open", path, EISDIR);
  return files_[path] = std::make_shared<FileData>();
}

void MemoryFileSystem::sync_dir_locked(const std::string& dir) {
  require_directory_locked(dir, dir, true);
  std::erase_if(durable_files_, [&](const auto& entry) { return parent_dir(entry.first) == dir; });
  for (const auto& [path, data] : files_)
    if (parent_dir(path) == dir) durable_files_[path] = data;
}

std::unique_ptr<ReadableFile> MemoryFileSystem::open_read(const std::string& path) {
  std::lock_guard guard(mutex_);
  if (const std::string key = normalize(path); regions_.contains(key))
    return std::make_unique<MemoryRegionReadableFile>(*this, key);
  return std::make_unique<MemoryReadableFile>(*this, find_file_locked(normalize(path)));
}

std::unique_ptr<WritableFile> MemoryFileSystem::open_append(const std::string& path) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  return std::make_unique<MemoryWritableFile>(*this, key, open_or_create_locked(key));
}

void MemoryFileSystem::write_file(const std::string& path, std::span<const std::byte> contents) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  require_directory_locked(parent_dir(key), key, true);
  if (directories_.contains(key) || regions_.contains(key)) throw_io("write", key, EISDIR);
  // A new file replaces the old one, as PosixFileSystem's rename of a temporary file does.
  auto data = std::make_shared<FileData>();
  data->bytes.assign(contents.begin(), contents.end());
  data->synced = data->bytes.size();
  files_[key] = std::move(data);
  sync_dir_locked(parent_dir(key));
}

bool MemoryFileSystem::exists(const std::string& path) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  return directories_.contains(key) || files_.contains(key) || regions_.contains(key);
}

bool MemoryFileSystem::is_directory(const std::string& path) {
  std::lock_guard guard(mutex_);
  return directories_.contains(normalize(path));
}

std::vector<std::string> MemoryFileSystem::list(const std::string& dir) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(dir);
  require_directory_locked(key, key, false);
  std::set<std::string> names;
  auto add = [&](const std::string& path) {
    if (path != key && parent_dir(path) == key) names.insert(base_name(path));
  };
  for (const std::string& path : directories_) add(path);
  for (const auto& [path, data] : files_) add(path);
  for (const auto& [path, region] : regions_) add(path);
  return {names.begin(), names.end()};
}

void MemoryFileSystem::create_directories(const std::string& path) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  for (size_t end = key.find('/', 1);; end = key.find('/', end + 1)) {
    const std::string prefix = key.substr(0, end);
    if (files_.contains(prefix) || regions_.contains(prefix))
      throw_unusable_path(Access::Write, prefix, ENOTDIR);
    directories_.insert(prefix);
    if (end == std::string::npos) break;
  }
}

void MemoryFileSystem::rename(const std::string& from, const std::string& to) {
  std::lock_guard guard(mutex_);
  const std::string source = normalize(from);
  const std::string target = normalize(to);
  const std::string what = fmt::format("rename '{}' to", from);
  auto it = files_.find(source);
  if (it == files_.end()) throw_io(what, to, ENOENT);
  if (!directories_.contains(parent_dir(target))) throw_io(what, to, ENOENT);
  if (directories_.contains(target) || regions_.contains(target)) throw_io(what, to, EISDIR);
  auto data = it->second;
  files_.erase(it);
  files_[target] = std::move(data);
}

void MemoryFileSystem::remove(const std::string& path) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  if (files_.erase(key) > 0) return;
  auto region = regions_.find(key);
  if (region == regions_.end())
    throw_io("remove", path, directories_.contains(key) ? EISDIR : ENOENT);
  if (region->second.mappings > 0)
    throw Error(ErrorKind::Internal,
                fmt::format("remove '{}': MemoryFileSystem cannot remove a mapped region", path));
  regions_.erase(region);
}

void MemoryFileSystem::sync_dir(const std::string& dir) {
  std::lock_guard guard(mutex_);
  sync_dir_locked(normalize(dir));
}

void MemoryFileSystem::check_writable(const std::string& dir) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(dir);
  if (!directories_.contains(key))
    throw_not_writable(dir, files_.contains(key) || regions_.contains(key) ? ENOTDIR : ENOENT);
}

std::unique_ptr<FileLock> MemoryFileSystem::lock(const std::string& path,
                                                 std::chrono::milliseconds timeout,
                                                 const std::string& holder_note) {
  using namespace std::chrono;
  std::unique_lock guard(mutex_);
  const std::string key = normalize(path);
  open_or_create_locked(key);
  const auto start = steady_clock::now();
  if (!lock_released_.wait_until(guard, start + timeout, [&] { return !locks_.contains(key); }))
    throw_locked(locks_.at(key).note,
                 duration_cast<milliseconds>(steady_clock::now() - start));
  const uint64_t token = next_lock_token_++;
  locks_[key] = LockHolder{holder_note, token};
  // Like PosixFileSystem, the holder's note is also the lock file's contents; the file may
  // have been removed or replaced while we waited.
  const auto note = std::as_bytes(std::span(holder_note));
  open_or_create_locked(key)->bytes.assign(note.begin(), note.end());
  return std::make_unique<MemoryFileLock>(*this, key, token);
}

std::unique_ptr<SharedRegion> MemoryFileSystem::map_shared(const std::string& path, size_t size) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  require_directory_locked(parent_dir(key), key, true);
  if (files_.contains(key) || directories_.contains(key))
    throw Error(ErrorKind::Internal,
                fmt::format("map '{}': MemoryFileSystem maps only paths it created as regions", path));
  Region& region = regions_[key];
  if (region.size < size) {
    if (region.mappings > 0)
      throw Error(ErrorKind::Internal,
                  fmt::format("map '{}': cannot grow a region from {} to {} bytes while it is "
                              "mapped",
                              path, region.size, size));
    std::unique_ptr<std::byte[], AlignedDelete> grown(
        static_cast<std::byte*>(::operator new[](size, kRegionAlignment)));
    std::fill_n(grown.get(), size, std::byte{0});
    if (region.size > 0) std::memcpy(grown.get(), region.bytes.get(), region.size);
    region.bytes = std::move(grown);
    region.size = size;
  }
  ++region.mappings;
  return std::make_unique<MemorySharedRegion>(*this, key, std::span(region.bytes.get(), size));
}

std::unique_ptr<SharedRegion> MemoryFileSystem::map_shared_read_only(const std::string& path,
                                                                     size_t size) {
  std::lock_guard guard(mutex_);
  const std::string key = normalize(path);
  auto region = regions_.find(key);
  if (region == regions_.end() || region->second.size < size)
    throw Error(ErrorKind::BadInput,
                fmt::format("cannot map '{}' read-only: no shared file of {} bytes there", path,
                            size));
  ++region->second.mappings;
  return std::make_unique<MemorySharedRegion>(*this, key,
                                              std::span(region->second.bytes.get(), size));
}

std::string MemoryFileSystem::boot_id() {
  std::lock_guard guard(mutex_);
  return fmt::format("memory-boot-{}", boot_);
}

void MemoryFileSystem::simulate_crash() {
  std::lock_guard guard(mutex_);
  files_ = durable_files_;
  for (auto& [path, data] : files_) data->bytes.resize(data->synced);
  locks_.clear();
  lock_released_.notify_all();
  ++boot_;
}

std::string MemoryFileSystem::read_all(const std::string& path) {
  std::lock_guard guard(mutex_);
  const auto data = find_file_locked(normalize(path));
  return {reinterpret_cast<const char*>(data->bytes.data()), data->bytes.size()};
}

uint64_t MemoryFileSystem::synced_size(const std::string& path) {
  std::lock_guard guard(mutex_);
  return find_file_locked(normalize(path))->synced;
}

void MemoryFileSystem::corrupt(const std::string& path, uint64_t pos, std::byte xor_mask) {
  std::lock_guard guard(mutex_);
  if (auto region = regions_.find(normalize(path)); region != regions_.end()) {
    if (pos >= region->second.size)
      throw Error(ErrorKind::Internal, fmt::format("corrupt '{}' at {}: the region has only {} "
                                                   "bytes",
                                                   path, pos, region->second.size));
    region->second.bytes[pos] ^= xor_mask;
    return;
  }
  const auto data = find_file_locked(normalize(path));
  if (pos >= data->bytes.size())
    throw Error(ErrorKind::Internal, fmt::format("corrupt '{}' at {}: the file has only {} bytes",
                                                 path, pos, data->bytes.size()));
  data->bytes[pos] ^= xor_mask;
}

void MemoryFileSystem::truncate_file(const std::string& path, uint64_t size) {
  std::lock_guard guard(mutex_);
  const auto data = find_file_locked(normalize(path));
  data->bytes.resize(size);
  data->synced = size;
}

}  // namespace shapelog
