// shapelog completion bash|zsh|fish: print the shell's completion script, generated from the
// option tree that parses the command line (as gh and kubectl do).
#include "cli_spec.h"
#include "commands/commands.h"
#include "commands/completion_scripts.h"
#include "output/output.h"

namespace shapelog::cli {

CommandRun setup_completion(CLI::App& app, AppContext&) {
  auto shell = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "completion",
      "Print the completion script for a shell. bash: source <(shapelog completion bash); zsh: "
      "source <(shapelog completion zsh); fish: shapelog completion fish | source");
  command->add_option("SHELL", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  return [shell, &app] {
    CliSpec spec = describe_cli(app);
    Output out;
    if (*shell == "bash") out.write(bash_completion(spec));
    if (*shell == "zsh") out.write(zsh_completion(spec));
    if (*shell == "fish") out.write(fish_completion(spec));
    return 0;
  };
}

}  // namespace shapelog::cli
