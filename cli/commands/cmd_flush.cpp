// shapelog flush: make everything appended durable.
#include <fmt/format.h>

#include "commands/commands.h"
#include "input/writer_flags.h"
#include "output/output.h"
#include "segment/log_directory.h"

namespace shapelog::cli {

namespace {

int run_flush(const WriterFlags& flags, AppContext& context) {
  // Only append creates a log; LogWriter would create the directory.
  require_log_directory(*context.fs, context.dir);
  LogWriter writer(*context.fs, context.dir, writer_options(flags, "flush"));
  print_warnings(writer);
  writer.flush();
  MetaSnapshot snap = writer.snapshot();
  Output out;
  out.line(fmt::format("{{\"last_persisted\":\"{}\",\"generation\":{}}}", snap.last_persisted,
                       snap.generation));
  return 0;
}

}  // namespace

CommandRun setup_flush(CLI::App& app, AppContext& context) {
  auto flags = std::make_shared<WriterFlags>();
  CLI::App* command = app.add_subcommand(
      "flush", "Write the buffered entries to disk, sync, publish last_persisted, trim the buffer");
  add_writer_flags(*command, *flags);
  return [flags, &context] { return run_flush(*flags, context); };
}

}  // namespace shapelog::cli
