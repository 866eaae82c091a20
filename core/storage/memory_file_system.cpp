#include "shapelog/memory_file_system.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "storage/fs_detail.h"

namespace shapelog {

using namespace fs_detail;

namespace {

constexpr size_t kRegionAlignment = 64;

std::byte* align_up(std::byte* bytes) {
  const auto address = reinterpret_cast<uintptr_t>(bytes);
  return bytes + ((kRegionAlignment - address % kRegionAlignment) % kRegionAlignment);
}

// Collapses repeated slashes, drops a leading "./" and a trailing '/', so that each file
// has one key. Paths the log builds are already clean: those are returned as they are, and
// only hand-written ones are cleaned into `storage`.
std::string_view normalize(const std::string& path, std::string& storage) {
  bool clean = !path.empty() && !path.starts_with("./") && (path.size() == 1 || path.back() != '/');
  for (size_t i = 1; clean && i < path.size(); ++i) clean = path[i] != '/' || path[i - 1] != '/';
  if (clean) return path;
  storage.reserve(path.size());
  for (char c : path)
    if (c != '/' || storage.empty() || storage.back() != '/') storage += c;
  while (storage.starts_with("./")) storage.erase(0, 2);
  if (storage.size() > 1 && storage.back() == '/') storage.pop_back();
  return storage.empty() ? std::string_view(".") : std::string_view(storage);
}

// Holds the characters a PathKey's view may point into; a base so that it is built first.
struct PathKeyStorage {
  std::string storage;
};

// A path's key in the maps: a view of the path itself when it is already clean, else of the
// cleaned copy it holds. Not copyable, since a copy's view would point into the original.
class PathKey : private PathKeyStorage, public std::string_view {
 public:
  explicit PathKey(const std::string& path) : std::string_view(normalize(path, storage)) {}
  PathKey(const PathKey&) = delete;
  PathKey& operator=(const PathKey&) = delete;
};

// The normalized path as a key that owns its characters, for objects that keep it.
std::string normalized(const std::string& path) { return std::string(PathKey(path)); }

std::string_view base_name(std::string_view path) {
  return path.substr(path.find_last_of('/') + 1);
}

}  // namespace

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
      throw Error(ErrorKind::Internal,
                  fmt::format("truncate '{}' to {} bytes: the file has only {}", path_, size,
                              data_->bytes.size()));
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
    std::memcpy(out.data(), it->second.bytes + pos, n);
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

void MemoryFileSystem::require_directory_locked(std::string_view dir, std::string_view path,
                                                bool for_write) {
  if (directories_.contains(dir)) return;
  const int err = has_file_locked(dir) || regions_.contains(dir) ? ENOTDIR : ENOENT;
  throw_unusable_path(for_write ? Access::Write : Access::Read, std::string(path), err);
}

bool MemoryFileSystem::has_file_locked(std::string_view path) const {
  auto it = files_.find(path);
  return it != files_.end() && it->second.now;
}

std::shared_ptr<MemoryFileSystem::FileData> MemoryFileSystem::find_file_locked(
    std::string_view path) {
  auto it = files_.find(path);
  if (it != files_.end() && it->second.now) return it->second.now;
  require_directory_locked(parent_view(path), path, false);
  throw_unusable_path(Access::Read, std::string(path),
                      directories_.contains(path) ? EISDIR : ENOENT);
}

std::shared_ptr<MemoryFileSystem::FileData> MemoryFileSystem::open_or_create_locked(
    std::string_view path) {
  auto it = files_.find(path);
  if (it != files_.end() && it->second.now) return it->second.now;
  require_directory_locked(parent_view(path), path, true);
  if (directories_.contains(path) || regions_.contains(path))
    throw_io("open", std::string(path), EISDIR);
  auto data = std::make_shared<FileData>();
  link_locked(path, data);
  return data;
}

void MemoryFileSystem::link_locked(std::string_view path, std::shared_ptr<FileData> data) {
  auto it = files_.find(path);
  if (it == files_.end()) it = files_.emplace(path, FileName{}).first;
  it->second.now = std::move(data);
}

void MemoryFileSystem::unlink_locked(PathMap<FileName>::iterator name) {
  name->second.now.reset();
  if (!name->second.durable) files_.erase(name);
}

void MemoryFileSystem::sync_dir_locked(std::string_view dir) {
  require_directory_locked(dir, dir, true);
  for (auto it = files_.begin(); it != files_.end();) {
    FileName& name = it->second;
    if (parent_view(it->first) != dir) {
      ++it;
    } else if (name.now) {
      name.durable = name.now;
      ++it;
    } else {
      it = files_.erase(it);  // removed, and now for good
    }
  }
}

std::unique_ptr<ReadableFile> MemoryFileSystem::open_read(const std::string& path) {
  std::lock_guard guard(mutex_);
  const PathKey key(path);
  if (regions_.contains(key))
    return std::make_unique<MemoryRegionReadableFile>(*this, std::string(key));
  return std::make_unique<MemoryReadableFile>(*this, find_file_locked(key));
}

std::unique_ptr<WritableFile> MemoryFileSystem::open_append(const std::string& path) {
  std::lock_guard guard(mutex_);
  const PathKey key(path);
  return std::make_unique<MemoryWritableFile>(*this, std::string(key), open_or_create_locked(key));
}

void MemoryFileSystem::write_file(const std::string& path, std::span<const std::byte> contents) {
  std::lock_guard guard(mutex_);
  const PathKey key(path);
  require_directory_locked(parent_view(key), key, true);
  if (directories_.contains(key) || regions_.contains(key))
    throw_io("write", std::string(key), EISDIR);
  // A new file replaces the old one, as PosixFileSystem's rename of a temporary file does.
  auto data = std::make_shared<FileData>();
  data->bytes.assign(contents.begin(), contents.end());
  data->synced = data->bytes.size();
  link_locked(key, std::move(data));
  sync_dir_locked(parent_view(key));
}

bool MemoryFileSystem::exists(const std::string& path) {
  std::lock_guard guard(mutex_);
  const PathKey key(path);
  return directories_.contains(key) || has_file_locked(key) || regions_.contains(key);
}

bool MemoryFileSystem::is_directory(const std::string& path) {
  std::lock_guard guard(mutex_);
  return directories_.contains(PathKey(path));
}

std::vector<std::string> MemoryFileSystem::list(const std::string& dir) {
  std::lock_guard guard(mutex_);
  const PathKey key(dir);
  require_directory_locked(key, key, false);
  std::vector<std::string_view> names;  // sorted as views: cheaper to move than strings
  names.reserve(directories_.size() + files_.size() + regions_.size());
  auto add = [&](std::string_view path) {
    if (path != key && parent_view(path) == key) names.push_back(base_name(path));
  };
  for (const std::string& path : directories_) add(path);
  for (const auto& [path, name] : files_)
    if (name.now) add(path);
  for (const auto& [path, region] : regions_) add(path);
  std::sort(names.begin(), names.end());
  // After simulate_crash() a file may come back where a directory was made meanwhile.
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return {names.begin(), names.end()};
}

void MemoryFileSystem::create_directories(const std::string& path) {
  std::lock_guard guard(mutex_);
  const std::string key = normalized(path);
  for (size_t end = key.find('/', 1);; end = key.find('/', end + 1)) {
    const std::string prefix = key.substr(0, end);
    if (has_file_locked(prefix) || regions_.contains(prefix))
      throw_unusable_path(Access::Write, prefix, ENOTDIR);
    directories_.insert(prefix);
    if (end == std::string::npos) break;
  }
}

void MemoryFileSystem::rename(const std::string& from, const std::string& to) {
  std::lock_guard guard(mutex_);
  const std::string source = normalized(from);
  const std::string target = normalized(to);
  const std::string what = fmt::format("rename '{}' to", from);
  auto it = files_.find(source);
  if (it == files_.end() || !it->second.now) throw_io(what, to, ENOENT);
  if (!directories_.contains(parent_view(target))) throw_io(what, to, ENOENT);
  if (directories_.contains(target) || regions_.contains(target)) throw_io(what, to, EISDIR);
  auto data = it->second.now;
  unlink_locked(it);
  link_locked(target, std::move(data));
}

void MemoryFileSystem::remove(const std::string& path) {
  std::lock_guard guard(mutex_);
  const PathKey key(path);
  if (auto file = files_.find(key); file != files_.end() && file->second.now) {
    unlink_locked(file);
    return;
  }
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
  sync_dir_locked(PathKey(dir));
}

void MemoryFileSystem::check_writable(const std::string& dir) {
  std::lock_guard guard(mutex_);
  const PathKey key(dir);
  if (!directories_.contains(key))
    throw_not_writable(dir, has_file_locked(key) || regions_.contains(key) ? ENOTDIR : ENOENT);
}

std::unique_ptr<FileLock> MemoryFileSystem::lock(const std::string& path,
                                                 std::chrono::milliseconds timeout,
                                                 const std::string& holder_note) {
  using namespace std::chrono;
  std::unique_lock guard(mutex_);
  const std::string key = normalized(path);
  open_or_create_locked(key);
  if (locks_.contains(key)) {
    const auto start = steady_clock::now();
    if (!lock_released_.wait_until(guard, start + timeout, [&] { return !locks_.contains(key); }))
      throw_locked(locks_.find(key)->second.note,
                   duration_cast<milliseconds>(steady_clock::now() - start));
  }
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
  const std::string key = normalized(path);
  require_directory_locked(parent_view(key), key, true);
  if (has_file_locked(key) || directories_.contains(key))
    throw Error(
        ErrorKind::Internal,
        fmt::format("map '{}': MemoryFileSystem maps only paths it created as regions", path));
  Region& region = regions_[key];
  if (region.size < size) {
    if (region.mappings > 0)
      throw Error(ErrorKind::Internal,
                  fmt::format("map '{}': cannot grow a region from {} to {} bytes while it is "
                              "mapped",
                              path, region.size, size));
    auto grown = std::make_unique<std::byte[]>(size + kRegionAlignment - 1);  // zero-filled
    std::byte* bytes = align_up(grown.get());
    if (region.size > 0) std::memcpy(bytes, region.bytes, region.size);
    region.storage = std::move(grown);
    region.bytes = bytes;
    region.size = size;
  }
  ++region.mappings;
  return std::make_unique<MemorySharedRegion>(*this, key, std::span(region.bytes, size));
}

std::unique_ptr<SharedRegion> MemoryFileSystem::map_shared_read_only(const std::string& path,
                                                                     size_t size) {
  std::lock_guard guard(mutex_);
  const std::string key = normalized(path);
  auto region = regions_.find(key);
  if (region == regions_.end() || region->second.size < size)
    throw Error(
        ErrorKind::BadInput,
        fmt::format("cannot map '{}' read-only: no shared file of {} bytes there", path, size));
  ++region->second.mappings;
  return std::make_unique<MemorySharedRegion>(*this, key, std::span(region->second.bytes, size));
}

std::string MemoryFileSystem::boot_id() {
  std::lock_guard guard(mutex_);
  return "memory-boot-" + std::to_string(boot_);
}

void MemoryFileSystem::simulate_crash() {
  std::lock_guard guard(mutex_);
  for (auto it = files_.begin(); it != files_.end();) {
    FileName& name = it->second;
    name.now = name.durable;
    if (!name.now) {
      it = files_.erase(it);
      continue;
    }
    name.now->bytes.resize(name.now->synced);
    ++it;
  }
  locks_.clear();
  lock_released_.notify_all();
  ++boot_;
}

std::string MemoryFileSystem::read_all(const std::string& path) {
  std::lock_guard guard(mutex_);
  const auto data = find_file_locked(PathKey(path));
  return {reinterpret_cast<const char*>(data->bytes.data()), data->bytes.size()};
}

uint64_t MemoryFileSystem::synced_size(const std::string& path) {
  std::lock_guard guard(mutex_);
  return find_file_locked(PathKey(path))->synced;
}

void MemoryFileSystem::corrupt(const std::string& path, uint64_t pos, std::byte xor_mask) {
  std::lock_guard guard(mutex_);
  const PathKey key(path);
  if (auto region = regions_.find(key); region != regions_.end()) {
    if (pos >= region->second.size)
      throw Error(ErrorKind::Internal, fmt::format("corrupt '{}' at {}: the region has only {} "
                                                   "bytes",
                                                   path, pos, region->second.size));
    region->second.bytes[pos] ^= xor_mask;
    return;
  }
  const auto data = find_file_locked(key);
  if (pos >= data->bytes.size())
    throw Error(ErrorKind::Internal, fmt::format("corrupt '{}' at {}: the file has only {} bytes",
                                                 path, pos, data->bytes.size()));
  data->bytes[pos] ^= xor_mask;
}

void MemoryFileSystem::truncate_file(const std::string& path, uint64_t size) {
  std::lock_guard guard(mutex_);
  const auto data = find_file_locked(PathKey(path));
  data->bytes.resize(size);
  data->synced = size;
}

}  // namespace shapelog
