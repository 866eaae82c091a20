#include "output/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "shapelog/error.h"
#include "shapelog/log_reader.h"
#include "storage/fs_detail.h"
#include "trace/json_text.h"

namespace shapelog::cli {

namespace {

std::string g_unreported_error;

// Writes all of bytes to stdout.
void write_stdout(std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      if (error == EPIPE) throw OutputClosed{};
      throw Error(ErrorKind::Io, fmt::format("cannot write to stdout: {}", std::strerror(error)));
    }
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void throw_not_written(const std::string& path, int error) {
  std::string_view remedy = fs_detail::remedy_for(error);
  throw Error(ErrorKind::Io,
              fmt::format("cannot write '{}': {}; {}", path, fs_detail::errno_text(error),
                          remedy.empty() ? "check the path and the disk" : remedy));
}

}  // namespace

void write_file_checked(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_not_written(path, errno);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      throw_not_written(path, error);
    }
    done += static_cast<size_t>(n);
  }
  // close() is where some file systems (NFS, FUSE) report a failed write.
  if (::close(fd) != 0) throw_not_written(path, errno);
}

void print_warning(const Warning& warning) {
  fmt::print(stderr, "shapelog: warning: {}\n", warning_text(warning));
}

void warn_on_index_problems(LogReader& reader) { reader.set_warning_sink(print_warning); }

const std::string& unreported_output_error() { return g_unreported_error; }

Output::Output() : buffer_(new char[kBufferBytes]) {}

Output::~Output() {
  try {
    flush();
  } catch (const OutputClosed&) {
  } catch (const Error& error) {
    if (g_unreported_error.empty()) g_unreported_error = error.what();
  }
}

void Output::flush() {
  const size_t used = std::exchange(used_, 0);
  write_stdout({buffer_.get(), used});
}

void Output::write_large(std::string_view bytes) {
  flush();
  if (bytes.size() > kBufferBytes) return write_stdout(bytes);
  std::memcpy(buffer_.get(), bytes.data(), bytes.size());
  used_ = bytes.size();
}

namespace {

// True when text reads the same as the contents of a JSON string: valid UTF-8 without
// quotes, backslashes or control characters. nlohmann's dump (ensure_ascii off) copies such
// text unchanged, so it is copied here without building a json value (a full read of
// 100-byte strings spent most of its time doing that).
bool plain_json_text(std::string_view text) {
  // One pass with no early exit, which the compiler turns into vector instructions.
  unsigned char special = 0, any = 0;
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    special |= static_cast<unsigned char>((c < 0x20) | (c == '"') | (c == '\\'));
    any |= c;
  }
  if (special != 0) return false;
  return (any & 0x80) == 0 || !find_invalid_utf8(text);  // ASCII, or valid UTF-8
}

}  // namespace

bool one_line(std::string_view text) {
  // Two memchr passes: find_first_of calls memchr on "\r\n" once per byte of the text, which
  // was three quarters of a full read of one-line JSON values.
  return text.empty() || (std::memchr(text.data(), '\n', text.size()) == nullptr &&
                          std::memchr(text.data(), '\r', text.size()) == nullptr);
}

void append_json_string(std::string_view text, std::string& out) {
  if (plain_json_text(text)) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  out += compact_json(nlohmann::json(std::string(text)));
}

void append_json_value(const EntryView& entry, std::string& out) {
  if (entry.kind == ValueKind::String) {
    append_json_string(entry.bytes, out);
  } else if (one_line(entry.bytes)) {
    out += entry.bytes;
  } else {
    out += nlohmann::json::parse(entry.bytes).dump();
  }
}

namespace {
// The text around an entry line's offset and value.
constexpr std::string_view kOffsetKey = "{\"offset\":\"";
constexpr std::string_view kValueKey = "\",\"value\":";
// The most an entry line takes besides its value: the keys, two 20-digit numbers, '_', the
// string's quotes, '}' and the newline.
constexpr size_t kLineOverhead = kOffsetKey.size() + 2 * 20 + 1 + kValueKey.size() + 2 + 2;

char* put(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}
}  // namespace

void append_entry_json_line(const EntryView& entry, std::string& out) {
  out += kOffsetKey;
  // Stored entries are never before every entry, so "TX_OP" straight from the numbers.
  const fmt::format_int tx(entry.offset.tx()), op(entry.offset.op());
  out.append(tx.data(), tx.size());
  out += '_';
  out.append(op.data(), op.size());
  out += kValueKey;
  append_json_value(entry, out);
  out += '}';
}

void write_entry_json_line(const EntryView& entry, Output& out, std::string& scratch) {
  // What append_json_value copies unchanged: a plain string (in quotes) or a one-line JSON
  // value. Writing it in place saves a full read of small values half its time: the
  // std::string appends, the strlen of each literal and the copy of each line.
  const std::string_view value = entry.bytes;
  const bool quoted = entry.kind == ValueKind::String;
  const bool as_is = quoted ? plain_json_text(value) : one_line(value);
  if (!as_is || value.size() > Output::kBufferBytes - kLineOverhead) {
    scratch.clear();
    append_entry_json_line(entry, scratch);
    return out.line(scratch);
  }
  char* at = put(out.reserve(kLineOverhead + value.size()), kOffsetKey);
  at = std::to_chars(at, at + 20, entry.offset.tx()).ptr;
  *at++ = '_';
  at = std::to_chars(at, at + 20, entry.offset.op()).ptr;
  at = put(at, kValueKey);
  if (quoted) *at++ = '"';
  at = put(at, value);
  if (quoted) *at++ = '"';
  *at++ = '}';
  *at++ = '\n';
  out.commit(at);
}

}  // namespace shapelog::cli
