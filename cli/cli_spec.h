// The command line as data, read from the CLI11 option tree that parses it: the commands,
// their options and positionals, and what each value can be. The completion scripts are
// generated from it, so they cannot drift from the parser.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace shapelog::cli {

enum class ValueKind {
  None,       // a flag
  Words,      // one of `words`
  File,       // a path
  Directory,  // a directory
  Other,      // anything (an offset, a number, a value): nothing to offer
};

struct OptionSpec {
  std::vector<std::string> names;  // "-q", "--quiet"; a positional's one name, "TRACE"
  std::string description;
  ValueKind value = ValueKind::None;
  std::vector<std::string> words;  // with ValueKind::Words
};

struct CommandSpec {
  std::string name;
  std::string description;
  std::string summary;                  // the description's first clause: "Append one transaction"
  std::vector<OptionSpec> options;      // --help first; the top level's own options last
  std::vector<OptionSpec> positionals;  // in order
};

struct CliSpec {
  std::string program;
  std::vector<OptionSpec> options;  // before the command: --help, --version, --dir
  std::vector<CommandSpec> commands;
};

CliSpec describe_cli(const CLI::App& app);

}  // namespace shapelog::cli
