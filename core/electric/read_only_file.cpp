#include "electric/read_only_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog::electric {

namespace {

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw Error(ErrorKind::Io, fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

}  // namespace

std::optional<ReadOnlyFile> ReadOnlyFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    io_error("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw_bad_input(
        fmt::format("{} is a directory where a file was expected; is this an "
                    "Electric shape directory?",
                    path));
  }
  return ReadOnlyFile(fd, path);
}

ReadOnlyFile::ReadOnlyFile(ReadOnlyFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

ReadOnlyFile& ReadOnlyFile::operator=(ReadOnlyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

ReadOnlyFile::~ReadOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t ReadOnlyFile::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) io_error("cannot stat", path_);
  return static_cast<uint64_t>(st.st_size);
}

size_t ReadOnlyFile::read_at(uint64_t pos, char* out, size_t n) const {
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd_, out + done, n - done, static_cast<off_t>(pos + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      io_error("cannot read", path_);
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

void ReadOnlyFile::expect_sequential() const { ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL); }

std::optional<std::string> read_small_file(const std::string& path, size_t max_bytes) {
  auto file = ReadOnlyFile::open(path);
  if (!file) return std::nullopt;
  // One byte more than the file has (or than max_bytes): a file that grew shows as too large.
  std::string bytes(static_cast<size_t>(std::min<uint64_t>(file->size(), max_bytes)) + 1, '\0');
  bytes.resize(file->read_at(0, bytes.data(), bytes.size()));
  return bytes;
}

}  // namespace shapelog::electric
