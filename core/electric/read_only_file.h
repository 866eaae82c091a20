// Files of a shape directory opened the only way this module opens them: O_RDONLY, no lock,
// nothing created. A running Electric may be writing them; sizes are read when asked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shapelog::electric {

class ReadOnlyFile {
 public:
  // nullopt when path does not exist; throws Error(Io) for other failures, and BadInput when
  // path is a directory.
  static std::optional<ReadOnlyFile> open(const std::string& path);
  ReadOnlyFile(ReadOnlyFile&& other) noexcept;
  ReadOnlyFile& operator=(ReadOnlyFile&& other) noexcept;
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  ~ReadOnlyFile();

  const std::string& path() const { return path_; }
  uint64_t size() const;  // fstat now
  // Reads up to n bytes at pos into out; returns how many (fewer only at the end of file).
  size_t read_at(uint64_t pos, char* out, size_t n) const;
  // Tells the kernel the file will be read front to back.
  void expect_sequential() const;

 private:
  ReadOnlyFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// The whole of a small file, or nullopt when it does not exist. A file larger than max_bytes
// gives its first max_bytes + 1 bytes (so the caller can tell it was too large).
std::optional<std::string> read_small_file(const std::string& path, size_t max_bytes);

}  // namespace shapelog::electric
