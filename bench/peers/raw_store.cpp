// The baseline: the values alone, 100 bytes each, packed in one flat file. Appends are write()
// (+ fdatasync() when durable); reads are pread() of the entries' bytes, a scan is read() in
// chunks of 10,000 entries, and the newest entries are found from the file's size (fstat).
// It does no framing, no index and no checks: the bytes a contender cannot avoid moving.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "store.h"

namespace peers {

namespace {

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("raw baseline: ") + what + ": " + std::strerror(errno));
}

class RawStore final : public Store {
 public:
  explicit RawStore(const std::string& dir) {
    std::filesystem::create_directories(dir);
    fd_ = ::open((dir + "/values").c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open");
  }
  ~RawStore() override { ::close(fd_); }
  RawStore(const RawStore&) = delete;
  RawStore& operator=(const RawStore&) = delete;

  void append(const std::vector<shapelog::Entry>& entries, bool durable) override {
    // The bytes are gathered first, as a program with its own buffer would hand them over.
    out_.clear();
    for (const shapelog::Entry& entry : entries) out_ += entry.bytes;
    for (size_t done = 0; done < out_.size();) {
      ssize_t n = ::write(fd_, out_.data() + done, out_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("write");
      done += static_cast<size_t>(n);
    }
    if (durable && ::fdatasync(fd_) != 0) fail("fdatasync");
  }

  void settle() override {
    if (::fdatasync(fd_) != 0) fail("fdatasync");
  }

  void read_range(uint64_t first, size_t count, Tally& tally) override {
    read_at(first * kValueBytes, count, tally);
  }

  void scan(Tally& tally) override {
    constexpr size_t kChunk = 10'000;
    uint64_t at = 0;
    while (size_t got = read_at(at, kChunk, tally)) at += got * kValueBytes;
  }

  void read_newest(size_t count, Tally& tally) override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail("fstat");
    const uint64_t entries = static_cast<uint64_t>(st.st_size) / kValueBytes;
    const uint64_t first = entries > count ? entries - count : 0;
    read_at(first * kValueBytes, count, tally);
  }

 private:
  // Reads up to count entries at byte position at; returns how many whole entries it read.
  size_t read_at(uint64_t at, size_t count, Tally& tally) {
    in_.resize(count * kValueBytes);
    size_t done = 0;
    while (done < in_.size()) {
      ssize_t n = ::pread(fd_, in_.data() + done, in_.size() - done, static_cast<off_t>(at + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("pread");
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    const size_t whole = done / kValueBytes;
    for (size_t i = 0; i < whole; ++i)
      tally.add(std::string_view(in_.data() + i * kValueBytes, kValueBytes));
    return whole;
  }

  int fd_ = -1;
  std::string out_, in_;
};

}  // namespace

std::unique_ptr<Store> open_raw(const std::string& dir) { return std::make_unique<RawStore>(dir); }

}  // namespace peers
