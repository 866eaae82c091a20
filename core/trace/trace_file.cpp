#include "shapelog/trace_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "shapelog/error.h"
#include "storage/fs_detail.h"
#include "trace/trace_reader.h"

namespace shapelog {

namespace {

[[noreturn]] void throw_unreadable_trace(const std::string& path, int error) {
  std::string_view remedy = error == ENOENT ? "check the path" : fs_detail::remedy_for(error);
  throw_bad_input(fmt::format("cannot read trace '{}': {}; {}", path, fs_detail::errno_text(error),
                              remedy.empty() ? "check the path" : remedy));
}

[[noreturn]] void throw_too_large(const std::string& path, std::string_view size,
                                  uint64_t max_bytes) {
  throw_bad_input(
      fmt::format("trace '{}' has {} bytes, more than the limit of {}; a trace that "
                  "large is most likely not one, or raise the limit with "
                  "--max-trace-bytes",
                  path, size, max_bytes));
}

}  // namespace

// Refuses past max_bytes by the size when the file is a regular one, before reading it; by
// what a read brought otherwise (a pipe, /dev/zero).
std::string read_trace_text(const std::string& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_unreadable_trace(path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_unreadable_trace(path, errno);
  if (S_ISDIR(st.st_mode))
    throw_bad_input(fmt::format("trace '{}' is a directory; give a trace file", path));
  const bool regular = S_ISREG(st.st_mode);
  if (regular && static_cast<uint64_t>(st.st_size) > max_bytes)
    throw_too_large(path, std::to_string(st.st_size), max_bytes);
  std::string text(regular ? static_cast<size_t>(st.st_size) : size_t{64} << 10, '\0');
  size_t used = 0;
  for (;;) {
    if (regular && used == text.size()) {
      // Read all the size said: one byte more tells whether the file grew meanwhile.
      char probe = 0;
      const ssize_t n = ::read(fd, &probe, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_unreadable_trace(path, errno);
      if (n == 0) break;
      text.push_back(probe);
      ++used;
    }
    if (used == text.size()) {
      if (used > max_bytes)
        throw_too_large(path, fmt::format("more than {}", max_bytes), max_bytes);
      text.resize(std::min<uint64_t>(max_bytes + 1, std::max<size_t>(text.size() * 2, 1)));
    }
    const ssize_t n = ::read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_unreadable_trace(path, errno);
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  if (used > max_bytes) throw_too_large(path, fmt::format("more than {}", max_bytes), max_bytes);
  text.resize(used);
  return text;
}

Trace load_trace_file(const std::string& path, uint64_t max_bytes) {
  return parse_trace(read_trace_text(path, max_bytes), path);
}

}  // namespace shapelog
