// shapelog: parse arguments, dispatch to one subcommand, map errors to exit codes.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <map>

#include <fmt/format.h>

#include "build_info.h"
#include "commands/commands.h"
#include "common/utf8.h"
#include "exit_codes.h"
#include "output/color.h"
#include "output/output.h"
#include "shapelog/error.h"
#include "shapelog/posix_file_system.h"

using namespace shapelog;
using namespace shapelog::cli;

namespace {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::BadInput: return kExitBadInput;
    case ErrorKind::Corruption: return kExitFound;
    case ErrorKind::Busy:
    case ErrorKind::Io:
    case ErrorKind::Internal: return kExitFailure;
  }
  return kExitFailure;
}

// Segments before the last are read through mappings (SegmentScanner, and ReadAhead's thread).
// If one is cut while mapped (another program truncated it) or the disk fails to read a mapped
// page, the kernel raises SIGBUS in that thread: report it as the failed read it is, rather
// than dying of the signal.
void on_bus_error(int) {
  static constexpr char kMessage[] =
      "shapelog: error: a log segment could not be read through its memory mapping: another "
      "program truncated it, or the disk returned an I/O error; run 'shapelog check'\n";
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(kExitFailure);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe shows up as EPIPE from write(), handled by Output.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGBUS, on_bus_error);
  // Started with fd 0, 1 or 2 closed, the log's files could get those numbers and our output
  // would land in them. Hold each with /dev/null, read-only for 0 and 1 so that writing to a
  // closed stdout still fails (EBADF) and is reported. open() takes the lowest free number.
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF)
      ::open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);

  AppContext context;
  context.fs = std::make_unique<PosixFileSystem>();
  CLI::App app{"shapelog: a buffered append-only log, and a reproducer for its read races",
               "shapelog"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text(), "Print the version and what it was built from");
  app.footer(kExitStatusHelp);
  app.fallthrough();  // --dir is accepted before or after the subcommand
  app.add_option("--dir", context.dir,
                 fmt::format("Log directory (default: ./{}, or $SHAPELOG_DIR)", kDefaultDir))
      ->envname("SHAPELOG_DIR");
  std::string color = "auto";
  app.add_option("--color", color,
                 "Colour wrong reads and races: auto (on a terminal, unless NO_COLOR is set), "
                 "always or never")
      ->check(
          CLI::IsMember(std::vector<std::string>(std::begin(kColorModes), std::end(kColorModes))))
      ->capture_default_str();

  std::map<CLI::App*, CommandRun> runs;
  for (auto setup :
       {setup_append, setup_flush, setup_read, setup_stat, setup_check, setup_replay, setup_explore,
        setup_stress, setup_electric, setup_version, setup_completion}) {
    CommandRun run = setup(app, context);
    runs[app.get_subcommands({}).back()] = std::move(run);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // For `shapelog bogus` or `shapelog --bogus` CLI11 says only "A subcommand is required":
    // name the word instead.
    std::vector<std::string> unused = app.remaining();
    // The same for a command group (`shapelog electric bogus`): name the group in the message.
    const CLI::App* group = &app;
    while (!group->get_subcommands().empty()) group = group->get_subcommands().front();
    if (error.get_exit_code() != 0 && group != &app && group->get_require_subcommand_min() > 0 &&
        !unused.empty() && !unused.front().starts_with('-')) {
      fmt::print(stderr,
                 "shapelog: error: unknown command '{} {}'; run shapelog {} --help for "
                 "the list\n",
                 group->get_name(), printable_excerpt(unused.front(), 80), group->get_name());
      return kExitBadInput;
    }
    if (error.get_exit_code() != 0 && app.get_subcommands().empty() && !unused.empty()) {
      const std::string& word = unused.front();
      if (word.starts_with('-'))
        fmt::print(stderr,
                   "shapelog: error: unknown option '{}' before the command; run "
                   "shapelog --help for the options\n",
                   printable_excerpt(word, 80));
      else
        fmt::print(stderr,
                   "shapelog: error: unknown command '{}'; run shapelog --help for the "
                   "list\n",
                   printable_excerpt(word, 80));
      return kExitBadInput;
    }
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitBadInput;
  }

  decide_color(color);
  int code = kExitOk;
  try {
    code = runs.at(app.get_subcommands().front())();
  } catch (const OutputClosed&) {
    return kExitOk;
  } catch (const Error& error) {
    fmt::print(stderr, "shapelog: error: {}\n", error.what());
    return exit_code_for(error.kind());
  } catch (const std::exception& error) {
    fmt::print(stderr, "shapelog: internal error: {}\n", error.what());
    return kExitFailure;
  }
  // Output flushed by a destructor, after the command had returned, may have failed.
  if (!unreported_output_error().empty()) {
    fmt::print(stderr, "shapelog: error: {}\n", unreported_output_error());
    return kExitFailure;
  }
  return code;
}
