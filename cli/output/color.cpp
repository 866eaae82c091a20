#include "output/color.h"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace shapelog::cli {

namespace {

bool enabled = false;

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

}  // namespace

void decide_color(const std::string& mode) {
  if (mode == "always") {
    enabled = true;
  } else if (mode == "never") {
    enabled = false;
  } else {
    const char* term = std::getenv("TERM");
    enabled = ::isatty(STDOUT_FILENO) && !env_set("NO_COLOR") &&
              !(term && std::string_view(term) == "dumb");
  }
}

bool color_enabled() { return enabled; }

std::string as_bad(std::string_view text) {
  return enabled ? fmt::format("\033[1;31m{}\033[0m", text) : std::string(text);
}

std::string as_good(std::string_view text) {
  return enabled ? fmt::format("\033[32m{}\033[0m", text) : std::string(text);
}

}  // namespace shapelog::cli
