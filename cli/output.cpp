#include "output.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace shapelog::cli {

namespace {
constexpr size_t kBufferBytes = 1 << 20;
std::string g_unreported_error;
}  // namespace

const std::string& unreported_output_error() { return g_unreported_error; }

Output::Output() { buffer_.reserve(kBufferBytes); }

Output::~Output() {
  try {
    flush();
  } catch (const OutputClosed&) {
  } catch (const Error& error) {
    if (g_unreported_error.empty()) g_unreported_error = error.what();
  }
}

void Output::write(std::string_view bytes) {
  if (buffer_.size() + bytes.size() > kBufferBytes) flush();
  buffer_.append(bytes);
}

void Output::line(std::string_view text) {
  write(text);
  write("\n");
}

void Output::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(STDOUT_FILENO, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      buffer_.clear();
      if (error == EPIPE) throw OutputClosed{};
      throw Error(ErrorKind::Io, fmt::format("cannot write to stdout: {}", std::strerror(error)));
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

void append_json_value(const Entry& entry, std::string& out) {
  if (entry.kind == ValueKind::String) {
    out += json_string(entry.bytes);
  } else if (entry.bytes.find_first_of("\r\n") == std::string::npos) {
    out += entry.bytes;
  } else {
    out += nlohmann::json::parse(entry.bytes).dump();
  }
}

std::string entry_json_line(const Entry& entry) {
  std::string line = "{\"offset\":\"";
  line += entry.offset.to_string();
  line += "\",\"value\":";
  append_json_value(entry, line);
  line += '}';
  return line;
}

}  // namespace shapelog::cli
