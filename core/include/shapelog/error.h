// One error convention for all of core: functions throw shapelog::Error, the CLI catches it
// at its boundary and maps the kind to an exit code. Messages say what was wrong, where, and
// what to do; they never end with a newline.
#pragma once

#include <stdexcept>
#include <string>

namespace shapelog {

enum class ErrorKind {
  BadInput,    // the user's input (flags, offsets, trace, directory) is wrong: exit 2
  Corruption,  // the log on disk is damaged: exit 1
  Busy,        // another writer holds the lock past the timeout: exit 4
  Io,          // the operating system failed a call (ENOSPC, EIO, ...): exit 4
  Internal,    // a broken invariant inside shapelog: exit 4
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void throw_bad_input(const std::string& message) {
  throw Error(ErrorKind::BadInput, message);
}

}  // namespace shapelog
