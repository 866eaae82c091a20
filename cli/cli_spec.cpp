#include "cli_spec.h"

#include <string_view>

#include "output/color.h"
#include "shapelog/read_strategy.h"

namespace shapelog::cli {

namespace {

std::vector<std::string> strategy_words(bool with_all) {
  std::vector<std::string> words;
  for (ReadStrategy strategy : kAllStrategies) words.emplace_back(strategy_name(strategy));
  if (with_all) words.emplace_back("all");
  return words;
}

// What a value can be, by command and option. CLI11 keeps a check such as IsMember as a
// function, which cannot be read back, so the words are written here; the parser still
// decides (strategies_from_flag, the checks in each cmd_*.cpp). An option not named here
// takes a value completion cannot guess: an offset, a number.
void classify_value(const std::string& command, const std::string& name, OptionSpec& option) {
  if (name == "--strategy") {
    // replay and explore also take "all" (strategies_from_flag with allow_all).
    option.value = ValueKind::Words;
    option.words = strategy_words(command == "replay" || command == "explore");
  } else if (name == "--format") {
    option.value = ValueKind::Words;
    option.words = {"jsonl", "raw"};
  } else if (name == "--color") {
    option.value = ValueKind::Words;
    option.words.assign(std::begin(kColorModes), std::end(kColorModes));
  } else if (name == "SHELL") {
    option.value = ValueKind::Words;
    option.words = {"bash", "zsh", "fish"};
  } else if (name == "--dir") {
    option.value = ValueKind::Directory;
  } else if (name == "TRACE" || name == "--out" || name == "--merge" || name == "--html") {
    option.value = ValueKind::File;
  } else {
    option.value = ValueKind::Other;
  }
}

OptionSpec describe_option(const std::string& command, const CLI::Option& option) {
  OptionSpec spec;
  spec.description = option.get_description();
  for (const std::string& name : option.get_snames()) spec.names.push_back("-" + name);
  for (const std::string& name : option.get_lnames()) spec.names.push_back("--" + name);
  if (!option.nonpositional()) spec.names.push_back(option.get_name(true));
  if (option.get_items_expected_max() > 0) classify_value(command, spec.names.back(), spec);
  return spec;
}

// Up to the first ". ", ": " or "; " outside parentheses.
std::string summary_of(const std::string& description) {
  int depth = 0;
  for (size_t i = 0; i + 1 < description.size(); ++i) {
    char c = description[i];
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth == 0 && (c == '.' || c == ':' || c == ';') && description[i + 1] == ' ')
      return description.substr(0, i);
  }
  return description;
}

}  // namespace

CliSpec describe_cli(const CLI::App& app) {
  CliSpec spec;
  spec.program = app.get_name();
  std::vector<OptionSpec> global;  // also accepted after the command (app.fallthrough)
  for (const CLI::Option* option : app.get_options()) {
    OptionSpec described = describe_option("", *option);
    if (option != app.get_help_ptr() && option != app.get_version_ptr())
      global.push_back(described);
    spec.options.push_back(std::move(described));
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    CommandSpec command{
        sub->get_name(), sub->get_description(), summary_of(sub->get_description()), {}, {}};
    for (const CLI::Option* option : sub->get_options()) {
      OptionSpec described = describe_option(command.name, *option);
      (option->nonpositional() ? command.options : command.positionals).push_back(described);
    }
    command.options.insert(command.options.end(), global.begin(), global.end());
    spec.commands.push_back(std::move(command));
  }
  return spec;
}

}  // namespace shapelog::cli
