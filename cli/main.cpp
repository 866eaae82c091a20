// shapelog: parse arguments, dispatch to one subcommand, map errors to exit codes.
#include <csignal>
#include <map>

#include <fmt/format.h>

#include "commands.h"
#include "common/error.h"
#include "exit_codes.h"
#include "output.h"
#include "storage/posix_file_system.h"

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

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout shows up as EPIPE from write(), handled by Output.
  std::signal(SIGPIPE, SIG_IGN);

  AppContext context;
  context.fs = std::make_unique<PosixFileSystem>();
  CLI::App app{"shapelog: a buffered append-only log, and a reproducer for its read races"};
  app.require_subcommand(1);
  app.fallthrough();  // --dir is accepted before or after the subcommand
  app.add_option("--dir", context.dir,
                 fmt::format("Log directory (default: ./{}, or $SHAPELOG_DIR)", kDefaultDir))
      ->envname("SHAPELOG_DIR");

  std::map<CLI::App*, CommandRun> runs;
  for (auto setup : {setup_append, setup_flush, setup_read, setup_stat, setup_check, setup_replay, setup_explore}) {
    CommandRun run = setup(app, context);
    runs[app.get_subcommands({}).back()] = std::move(run);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitBadInput;
  }

  try {
    return runs.at(app.get_subcommands().front())();
  } catch (const OutputClosed&) {
    return kExitOk;
  } catch (const Error& error) {
    fmt::print(stderr, "shapelog: error: {}\n", error.what());
    return exit_code_for(error.kind());
  } catch (const std::exception& error) {
    fmt::print(stderr, "shapelog: internal error: {}\n", error.what());
    return kExitFailure;
  }
}
