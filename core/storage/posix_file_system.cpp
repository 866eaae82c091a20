#include "shapelog/posix_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "storage/fs_detail.h"

namespace shapelog {

using namespace fs_detail;

namespace {

// Owns a file descriptor. Errors from close are ignored: durability comes from sync.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Fd open_or_throw(const std::string& path, int flags, Access access, std::string_view what) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw_open_failed(access, what, path, errno);
  return Fd(fd);
}

struct stat stat_or_throw(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_io("stat", path, errno);
  return st;
}

// Writes all of data, retrying short writes; `written` counts the bytes that made it even
// when a later write fails.
void write_all(int fd, std::span<const std::byte> data, std::string_view what,
               const std::string& path, uint64_t& written) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(what, path, errno);
    }
    written += static_cast<uint64_t>(n);
    data = data.subspan(static_cast<size_t>(n));
  }
}

// Reads up to out.size() bytes at pos; fewer only at the end of the file.
size_t read_all_at(int fd, uint64_t pos, std::span<std::byte> out, const std::string& path) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(pos + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("read", path, errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, Fd fd, uint64_t size)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size) {}

  void append(std::span<const std::byte> data) override {
    write_all(fd_.get(), data, "append to", path_, size_);
  }

  void sync() override {
    if (::fdatasync(fd_.get()) != 0) throw_io("sync", path_, errno);
  }

  void truncate(uint64_t size) override {
    if (size > size_)
      throw Error(
          ErrorKind::Internal,
          fmt::format("truncate '{}' to {} bytes: the file has only {}", path_, size, size_));
    if (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) throw_io("truncate", path_, errno);
    size_ = size;
  }

  uint64_t size() const override { return size_; }

 private:
  std::string path_;
  Fd fd_;
  uint64_t size_;
};

class PosixMappedBytes : public MappedBytes {
 public:
  PosixMappedBytes(void* address, size_t size, size_t skip)
      : address_(address), size_(size), skip_(skip) {}
  PosixMappedBytes(const PosixMappedBytes&) = delete;
  PosixMappedBytes& operator=(const PosixMappedBytes&) = delete;
  ~PosixMappedBytes() override { ::munmap(address_, size_); }

  std::span<const std::byte> bytes() const override {
    return {static_cast<const std::byte*>(address_) + skip_, size_ - skip_};
  }

 private:
  void* address_;
  size_t size_;
  size_t skip_;  // from the page boundary to the first byte asked for
};

class PosixReadableFile : public ReadableFile {
 public:
  PosixReadableFile(std::string path, Fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  size_t read_at(uint64_t pos, std::span<std::byte> out) const override {
    return read_all_at(fd_.get(), pos, out, path_);
  }

  uint64_t size() const override {
    return static_cast<uint64_t>(stat_or_throw(fd_.get(), path_).st_size);
  }

  std::unique_ptr<MappedBytes> map(uint64_t pos, size_t length) const override {
    static const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t start = pos / page * page;  // mmap offsets are page-aligned
    const size_t mapped = length + (pos - start);
    void* address =
        ::mmap(nullptr, mapped, PROT_READ, MAP_SHARED, fd_.get(), static_cast<off_t>(start));
    if (address == MAP_FAILED) return nullptr;  // read_at still works, and reports errors
    ::madvise(address, mapped, MADV_SEQUENTIAL);
    return std::make_unique<PosixMappedBytes>(address, mapped, pos - start);
  }

 private:
  std::string path_;
  Fd fd_;
};

// The lock is the flock on the open file; closing the descriptor releases it.
class PosixFileLock : public FileLock {
 public:
  explicit PosixFileLock(Fd fd) : fd_(std::move(fd)) {}

 private:
  Fd fd_;
};

class PosixSharedRegion : public SharedRegion {
 public:
  PosixSharedRegion(void* address, size_t size) : address_(address), size_(size) {}
  PosixSharedRegion(const PosixSharedRegion&) = delete;
  PosixSharedRegion& operator=(const PosixSharedRegion&) = delete;
  ~PosixSharedRegion() override { ::munmap(address_, size_); }

  std::span<std::byte> bytes() override { return {static_cast<std::byte*>(address_), size_}; }

 private:
  void* address_;
  size_t size_;
};

// The note a lock holder wrote into the lock file, for the waiter's error message.
std::string read_holder_note(int fd, const std::string& path) {
  std::string note(4096, '\0');
  try {
    note.resize(read_all_at(fd, 0, std::as_writable_bytes(std::span(note)), path));
  } catch (const Error&) {
    return "";
  }
  while (!note.empty() && (note.back() == '\n' || note.back() == ' ')) note.pop_back();
  return note;
}

}  // namespace

std::unique_ptr<ReadableFile> PosixFileSystem::open_read(const std::string& path) {
  return std::make_unique<PosixReadableFile>(path,
                                             open_or_throw(path, O_RDONLY, Access::Read, "open"));
}

std::unique_ptr<WritableFile> PosixFileSystem::open_append(const std::string& path) {
  Fd fd = open_or_throw(path, O_WRONLY | O_CREAT | O_APPEND, Access::Write, "open for append");
  const auto size = static_cast<uint64_t>(stat_or_throw(fd.get(), path).st_size);
  return std::make_unique<PosixWritableFile>(path, std::move(fd), size);
}

void PosixFileSystem::write_file(const std::string& path, std::span<const std::byte> contents) {
  const std::string temp = path + ".tmp";
  {
    Fd fd = open_or_throw(temp, O_WRONLY | O_CREAT | O_TRUNC, Access::Write, "create");
    uint64_t written = 0;
    write_all(fd.get(), contents, "write", temp, written);
    if (::fsync(fd.get()) != 0) throw_io("sync", temp, errno);
  }
  rename(temp, path);
  sync_dir(parent_dir(path));
}

bool PosixFileSystem::exists(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT || errno == ENOTDIR) return false;
  throw_open_failed(Access::Read, "stat", path, errno);
}

bool PosixFileSystem::is_directory(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  if (errno == ENOENT || errno == ENOTDIR) return false;
  throw_open_failed(Access::Read, "stat", path, errno);
}

std::vector<std::string> PosixFileSystem::list(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) throw_open_failed(Access::Read, "list", dir, errno);
  std::vector<std::string> names;
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(handle);
    if (entry == nullptr) break;
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  const int err = errno;
  ::closedir(handle);
  if (err != 0) throw_io("list", dir, err);
  std::sort(names.begin(), names.end());
  return names;
}

void PosixFileSystem::create_directories(const std::string& path) {
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string prefix = path.substr(0, end);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST)
      throw_open_failed(Access::Write, "create directory", prefix, errno);
    if (end == std::string::npos) break;
  }
  // mkdir said EEXIST, but that may be a file.
  if (!is_directory(path)) throw_unusable_path(Access::Write, path, ENOTDIR);
}

void PosixFileSystem::rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    throw_io(fmt::format("rename '{}' to", from), to, errno);
}

void PosixFileSystem::remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) throw_io("remove", path, errno);
}

void PosixFileSystem::sync_dir(const std::string& dir) {
  Fd fd = open_or_throw(dir, O_RDONLY | O_DIRECTORY, Access::Write, "open directory");
  if (::fsync(fd.get()) != 0) throw_io("sync directory", dir, errno);
}

void PosixFileSystem::check_writable(const std::string& dir) {
  if (::access(dir.c_str(), W_OK | X_OK) != 0) throw_not_writable(dir, errno);
  if (!is_directory(dir)) throw_not_writable(dir, ENOTDIR);
}

std::unique_ptr<FileLock> PosixFileSystem::lock(const std::string& path,
                                                std::chrono::milliseconds timeout,
                                                const std::string& holder_note) {
  using namespace std::chrono;
  Fd fd = open_or_throw(path, O_RDWR | O_CREAT, Access::Write, "open lock file");
  const auto start = steady_clock::now();
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) throw_io("lock", path, errno);
    const auto waited = duration_cast<milliseconds>(steady_clock::now() - start);
    if (waited >= timeout) throw_locked(read_holder_note(fd.get(), path), waited);
    std::this_thread::sleep_for(5ms);
  }
  if (::ftruncate(fd.get(), 0) != 0) throw_io("truncate", path, errno);
  uint64_t written = 0;
  write_all(fd.get(), std::as_bytes(std::span(holder_note)), "write", path, written);
  return std::make_unique<PosixFileLock>(std::move(fd));
}

std::unique_ptr<SharedRegion> PosixFileSystem::map_shared(const std::string& path, size_t size) {
  Fd fd = open_or_throw(path, O_RDWR | O_CREAT, Access::Write, "open shared file");
  // Allocated, not just sized: a write through the mapping into a hole that the disk has no
  // room for raises SIGBUS, where posix_fallocate reports ENOSPC here, as an error.
  if (static_cast<uint64_t>(stat_or_throw(fd.get(), path).st_size) < size)
    if (int error = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(size)); error != 0)
      throw_io("grow", path, error);
  void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (address == MAP_FAILED) throw_io("map", path, errno);
  // The mapping stays valid after the descriptor is closed.
  return std::make_unique<PosixSharedRegion>(address, size);
}

std::unique_ptr<SharedRegion> PosixFileSystem::map_shared_read_only(const std::string& path,
                                                                    size_t size) {
  Fd fd = open_or_throw(path, O_RDONLY, Access::Read, "open shared file");
  if (static_cast<uint64_t>(stat_or_throw(fd.get(), path).st_size) < size)
    throw_io("map", path, EINVAL);
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd.get(), 0);
  if (address == MAP_FAILED) throw_io("map", path, errno);
  return std::make_unique<PosixSharedRegion>(address, size);
}

std::string PosixFileSystem::boot_id() {
  const std::string path = "/proc/sys/kernel/random/boot_id";
  std::string id(64, '\0');
  try {
    Fd fd = open_or_throw(path, O_RDONLY, Access::Read, "open");
    id.resize(read_all_at(fd.get(), 0, std::as_writable_bytes(std::span(id)), path));
  } catch (const Error&) {
    return "unknown-boot";
  }
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id.empty() ? "unknown-boot" : id;
}

}  // namespace shapelog
