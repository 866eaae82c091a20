// shapelog append: one transaction per invocation.
#include <iterator>
#include <optional>

#include <fmt/format.h>

#include "commands/commands.h"
#include "input/append_input.h"
#include "input/number_flags.h"
#include "input/writer_flags.h"
#include "output/output.h"
#include "shapelog/error.h"

namespace shapelog::cli {

namespace {

void set_transaction(std::vector<Entry>& entries, uint64_t tx) {
  for (size_t i = 0; i < entries.size(); ++i) entries[i].offset = Offset(tx, i);
}
void set_transaction(PackedEntries& entries, uint64_t tx) { entries.set_tx(tx); }

struct AppendOptions {
  std::vector<std::string> values;
  std::optional<uint64_t> tx;
  bool nul_separated = false;
  bool require_json = false;
  bool quiet = false;
  bool flush = false;
  WriterFlags writer;
};

// The transaction's entries: the arguments as a vector of entries, or stdin packed in one
// buffer (millions of lines cost their bytes and 9 more each, not an Entry each).
template <class Entries>
int append_transaction(const AppendOptions& options, AppContext& context, Entries& entries) {
  if (entries.empty())
    throw_bad_input("nothing to append: give values as arguments or on stdin, one per line");

  LogWriter writer(*context.fs, context.dir, writer_options(options.writer, "append"));
  print_warnings(writer);
  Offset last = writer.snapshot().last_seen;
  if (!last.is_before_all() && last.tx() == UINT64_MAX)
    throw_bad_input("the log's last transaction number is the largest possible; no more fit");
  if (options.tx && !last.is_before_all() && *options.tx <= last.tx())
    throw_bad_input(
        fmt::format("--tx {} is not above the last transaction {}; omit --tx or "
                    "give a larger number",
                    *options.tx, last.tx()));
  // An empty log starts at transaction 1.
  uint64_t tx = options.tx.value_or(last.is_before_all() ? 1 : last.tx() + 1);
  set_transaction(entries, tx);

  writer.append(entries);
  if (options.flush) writer.flush();
  if (!options.quiet) {
    Output out;
    std::string line;
    for (size_t i = 0; i < entries.size(); ++i) {
      line.clear();
      fmt::format_to(std::back_inserter(line), "{{\"offset\":\"{}\"}}", Offset(tx, i));
      out.line(line);
    }
  }
  return 0;
}

int run_append(const AppendOptions& options, AppContext& context) {
  // Everything the user gave is checked before the log is opened: bad input changes nothing.
  if (options.values.empty()) {
    PackedEntries entries = read_values(stdin, options.nul_separated, options.require_json);
    return append_transaction(options, context, entries);
  }
  std::vector<Entry> entries = to_entries(argument_values(options.values), options.require_json);
  return append_transaction(options, context, entries);
}

}  // namespace

CommandRun setup_append(CLI::App& app, AppContext& context) {
  auto options = std::make_shared<AppendOptions>();
  CLI::App* command = app.add_subcommand(
      "append",
      "Append one transaction: one entry per VALUE, or per stdin line when no VALUE is given. "
      "A value that parses as JSON is stored as JSON, anything else as a string.");
  // Each VALUE argument is one entry, byte for byte. Bound to a std::vector, CLI11 2.1.2 would
  // split "[1,2]" into two values, drop "[]" and turn "{}" into no values at all. Without
  // allow_extra_args it does not look inside brackets but then fills a positional only up to
  // its minimum count, hence that minimum of "any number"; TakeAll skips the count check,
  // and the callback gets the arguments exactly as given.
  command
      ->add_option(
          "VALUE",
          [options](const CLI::results_t& arguments) {
            options->values = arguments;
            return true;
          },
          "Values of the entries, in order")
      ->expected(CLI::detail::expected_max_vector_size, CLI::detail::expected_max_vector_size)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("TEXT");
  add_number_option(*command, "--tx", options->tx,
                    "Transaction number (default: the last one + 1); must be above the last");
  command->add_flag("-0,--null", options->nul_separated,
                    "stdin values are separated by NUL bytes instead of newlines");
  command->add_flag("--json", options->require_json,
                    "Every value must be JSON; a value that is not rejects the whole append");
  command->add_flag("-q,--quiet", options->quiet, "Print nothing on success");
  command->add_flag("--flush", options->flush, "Flush to disk after appending");
  add_writer_flags(*command, options->writer);
  return [options, &context] { return run_append(*options, context); };
}

}  // namespace shapelog::cli
