// Writing results to stdout: a large buffer for throughput, JSON Lines helpers, and a quiet
// exit when the reader of our stdout went away (`shapelog read | head`).
#pragma once

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "shapelog/entry.h"
#include "shapelog/warning.h"

namespace shapelog {
class LogReader;
}

namespace shapelog::cli {

// Thrown when the reader of stdout went away (EPIPE); main() exits quietly with status 0.
// Any other write error is an Error(ErrorKind::Io) naming the cause.
struct OutputClosed {};

// A write error that ~Output could not throw (a destructor must not), or empty; main() reports
// it and exits with kExitFailure once the command has returned.
const std::string& unreported_output_error();

class Output {
 public:
  Output();
  ~Output();
  void write(std::string_view bytes) {
    if (used_ + bytes.size() > kBufferBytes) return write_large(bytes);
    std::memcpy(buffer_.get() + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
  }
  // bytes, then terminator. Inline, onto a plain array: a full read calls this once per
  // entry, and std::string::append's out-of-line call was a tenth of the read's time.
  void write(std::string_view bytes, char terminator) {
    if (used_ + bytes.size() + 1 > kBufferBytes) {
      write_large(bytes);
      return write({&terminator, 1});
    }
    std::memcpy(buffer_.get() + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
    buffer_[used_++] = terminator;
  }
  void line(std::string_view text) { write(text, '\n'); }
  // Room for n more bytes (at most kBufferBytes), written in place: returns where they go,
  // flushing first when the buffer has less room. The bytes become output at commit(end),
  // end being one past the last byte written there.
  char* reserve(size_t n) {
    if (used_ + n > kBufferBytes) flush();
    return buffer_.get() + used_;
  }
  void commit(const char* end) { used_ = static_cast<size_t>(end - buffer_.get()); }
  void flush();

  static constexpr size_t kBufferBytes = 1 << 20;

 private:
  // Writes what the buffer has room for no more of: flushes, then buffers or writes bytes.
  void write_large(std::string_view bytes);

  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;
};

// Writes text as the whole contents of the file at path (created or truncated), for every
// file the CLI reports having written (stress --out, explore --out, ...). A failed open,
// write or close throws Error(ErrorKind::Io) naming the path and the reason, so the command
// exits 4 instead of claiming a file it did not write.
void write_file_checked(const std::string& path, std::string_view text);

// Prints "shapelog: warning: ..." and the warning's text on stderr.
void print_warning(const Warning& warning);
// Makes reader print what it finds wrong with the offset index on stderr, as a warning.
void warn_on_index_problems(LogReader& reader);

// True when text holds neither '\n' nor '\r': a JSON value in it fits a JSON Lines line as it is.
bool one_line(std::string_view text);

// Appends text as a JSON string literal (invalid UTF-8 replaced).
void append_json_string(std::string_view text, std::string& out);

// Appends the JSON form of a stored value: JSON values as they were appended (re-serialized
// only if they span lines), strings as JSON string literals (invalid UTF-8 replaced, which
// values never contain).
void append_json_value(const EntryView& entry, std::string& out);
// Appends {"offset":"11_0","value":...}.
void append_entry_json_line(const EntryView& entry, std::string& out);
// Writes the same line and a newline to out. A value that JSON takes as it is (most of them)
// goes straight into out's buffer; any other is built in scratch first, as above.
void write_entry_json_line(const EntryView& entry, Output& out, std::string& scratch);

}  // namespace shapelog::cli
