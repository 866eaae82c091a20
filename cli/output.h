// Writing results to stdout: a large buffer for throughput, JSON Lines helpers, and a quiet
// exit when the reader of our stdout went away (`shapelog read | head`).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "common/entry.h"

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
  void write(std::string_view bytes);
  void line(std::string_view text);  // text + '\n'
  void flush();

 private:
  std::string buffer_;
};

// Appends the JSON form of a stored value: JSON values as they were appended (re-serialized
// only if they span lines), strings as JSON strings.
void append_json_value(const Entry& entry, std::string& out);
// {"offset":"11_0","value":...}
std::string entry_json_line(const Entry& entry);
// A JSON string literal for text (invalid UTF-8 replaced, which values never contain).
std::string json_string(std::string_view text);

}  // namespace shapelog::cli
