// Shell completion scripts, generated from the command line's own description (cli_spec.h):
// `shapelog completion bash|zsh|fish` prints them, and the build installs them.
#pragma once

#include <string>

#include "cli_spec.h"

namespace shapelog::cli {

std::string bash_completion(const CliSpec& spec);
std::string zsh_completion(const CliSpec& spec);
std::string fish_completion(const CliSpec& spec);

}  // namespace shapelog::cli
