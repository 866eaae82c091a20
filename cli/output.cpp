#include "output.h"

#include <cerrno>
#include <cstring>
#include <utility>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.h"

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

}  // namespace

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

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

void append_json_value(const EntryView& entry, std::string& out) {
  if (entry.kind == ValueKind::String) {
    out += json_string(entry.bytes);
  } else if (entry.bytes.find_first_of("\r\n") == std::string_view::npos) {
    out += entry.bytes;
  } else {
    out += nlohmann::json::parse(entry.bytes).dump();
  }
}

std::string entry_json_line(const EntryView& entry) {
  std::string line = "{\"offset\":\"";
  line += entry.offset.to_string();
  line += "\",\"value\":";
  append_json_value(entry, line);
  line += '}';
  return line;
}

}  // namespace shapelog::cli
