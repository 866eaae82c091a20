#include "output/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <charconv>
#include <cstdint>
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

char* put(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

// How a string goes into a JSON string literal, as nlohmann's dump (ensure_ascii off) writes
// it: Plain text (valid UTF-8 without quotes, backslashes or control characters) as it is;
// Escaped text (valid UTF-8 with some of those) through escape_json_text; Invalid UTF-8 only
// through nlohmann, which replaces the bad bytes. A full read of 100-byte strings spent most
// of its time building a json value for each string, and one with quotes still did.
enum class JsonText { Plain, Escaped, Invalid };

JsonText json_text(std::string_view text) {
  // One pass with no early exit, which the compiler turns into vector instructions.
  unsigned char special = 0, any = 0;
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    special |= static_cast<unsigned char>((c < 0x20) | (c == '"') | (c == '\\'));
    any |= c;
  }
  if ((any & 0x80) != 0 && find_invalid_utf8(text)) return JsonText::Invalid;
  return special != 0 ? JsonText::Escaped : JsonText::Plain;
}

// The most escape_json_text writes for text: a control character takes six bytes (\u001f).
constexpr size_t max_escaped_size(size_t size) { return 6 * size; }

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Writes the escape of c (needs_escape) at `at`: nlohmann's \" \\ \b \f \n \r \t, and
// \u00xx in lower-case hex for the other control characters. Returns where it ends.
char* put_escape(unsigned char c, char* at) {
  static constexpr char kHex[] = "0123456789abcdef";
  *at++ = '\\';
  switch (c) {
    case '"': *at++ = '"'; break;
    case '\\': *at++ = '\\'; break;
    case '\b': *at++ = 'b'; break;
    case '\f': *at++ = 'f'; break;
    case '\n': *at++ = 'n'; break;
    case '\r': *at++ = 'r'; break;
    case '\t': *at++ = 't'; break;
    default:
      at = put(at, "u00");
      *at++ = kHex[c >> 4];
      *at++ = kHex[c & 0xf];
  }
  return at;
}

// Where in the eight bytes of `word` (in memory order) the first one that needs an escape
// is; 8 when none does. The tests of Bit Twiddling Hacks for a zero byte and for a byte less
// than n flag it exactly (a borrow only flags bytes after it).
int first_escape(uint64_t word) {
  static_assert(std::endian::native == std::endian::little, "the lowest bits come first");
  constexpr uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v; };
  const uint64_t flagged = ((word - kOnes * 0x20) & ~word) | zero_bytes(word ^ (kOnes * '"')) |
                           zero_bytes(word ^ (kOnes * '\\'));
  return std::countr_zero(flagged & kHighs) / 8;
}

// Writes the contents of text's JSON string literal at `at`, which has room for
// max_escaped_size(text.size()) bytes, and returns where they end: every byte as it is but
// those needs_escape picks. Eight bytes a step: each step stores all eight and keeps those
// before the first that needs an escape (the room covers the extra bytes stored).
char* escape_json_text(std::string_view text, char* at) {
  const char* from = text.data();
  const char* const end = from + text.size();
  for (uint64_t word; end - from >= 8;) {
    std::memcpy(&word, from, 8);
    std::memcpy(at, &word, 8);
    const int plain = first_escape(word);
    from += plain;
    at += plain;
    if (plain < 8) at = put_escape(static_cast<unsigned char>(*from++), at);
  }
  for (; from < end; ++from) {
    const auto c = static_cast<unsigned char>(*from);
    if (needs_escape(c)) at = put_escape(c, at);
    else *at++ = static_cast<char>(c);
  }
  return at;
}

}  // namespace

bool one_line(std::string_view text) {
  // Two memchr passes: find_first_of calls memchr on "\r\n" once per byte of the text, which
  // was three quarters of a full read of one-line JSON values.
  return text.empty() || (std::memchr(text.data(), '\n', text.size()) == nullptr &&
                          std::memchr(text.data(), '\r', text.size()) == nullptr);
}

void append_json_string(std::string_view text, std::string& out) {
  switch (json_text(text)) {
    case JsonText::Plain:
      out += '"';
      out += text;
      out += '"';
      return;
    case JsonText::Escaped: {
      const size_t start = out.size();
      out.resize(start + max_escaped_size(text.size()) + 2);
      char* at = out.data() + start;
      *at++ = '"';
      at = escape_json_text(text, at);
      *at++ = '"';
      out.resize(static_cast<size_t>(at - out.data()));
      return;
    }
    case JsonText::Invalid: out += compact_json(nlohmann::json(std::string(text)));
  }
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
  // What append_json_value writes without nlohmann: a string of valid UTF-8 (in quotes,
  // escaped where JSON needs it) or a one-line JSON value. Writing it in place saves a full
  // read of small values half its time: the std::string appends, the strlen of each literal
  // and the copy of each line.
  const std::string_view value = entry.bytes;
  const bool quoted = entry.kind == ValueKind::String;
  const JsonText text = quoted ? json_text(value) : JsonText::Plain;
  const bool in_place = quoted ? text != JsonText::Invalid : one_line(value);
  const size_t room =
      kLineOverhead + (text == JsonText::Escaped ? max_escaped_size(value.size()) : value.size());
  if (!in_place || room > Output::kBufferBytes) {
    scratch.clear();
    append_entry_json_line(entry, scratch);
    return out.line(scratch);
  }
  char* at = put(out.reserve(room), kOffsetKey);
  at = std::to_chars(at, at + 20, entry.offset.tx()).ptr;
  *at++ = '_';
  at = std::to_chars(at, at + 20, entry.offset.op()).ptr;
  at = put(at, kValueKey);
  if (quoted) *at++ = '"';
  at = text == JsonText::Escaped ? escape_json_text(value, at) : put(at, value);
  if (quoted) *at++ = '"';
  *at++ = '}';
  *at++ = '\n';
  out.commit(at);
}

}  // namespace shapelog::cli
