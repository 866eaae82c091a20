// shapelog read: a range of entries, as JSON Lines or raw bytes; --follow keeps going.
#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>

#include <fmt/format.h>

#include "commands/commands.h"
#include "common/utf8.h"
#include "input/number_flags.h"
#include "input/strategy_flag.h"
#include "output/output.h"
#include "shapelog/error.h"
#include "shapelog/log_reader.h"

namespace shapelog::cli {

namespace {

struct ReadOptions {
  std::optional<std::string> from, after, to;
  std::optional<uint64_t> last, limit;
  std::string format = "jsonl";
  std::string strategy;  // set by add_strategy_option
  bool nul_separated = false;
  bool follow = false;
  uint64_t poll_ms = 50;
};

std::atomic<bool> g_interrupted{false};

// What one read copies out of the shared buffer at most (LogReader::set_copy_limit).
constexpr uint64_t kCopyLimitBytes = 4 << 20;

Offset offset_flag(const std::string& flag, const std::string& text) {
  auto offset = parse_offset(text);
  if (!offset)
    throw_bad_input(fmt::format("{} '{}' is not an offset: {}", flag, printable_excerpt(text, 80),
                                kOffsetSyntax));
  return *offset;
}

ReadRange range_from(const ReadOptions& options, LogReader& reader) {
  ReadRange range;
  if (options.from) range = ReadRange{offset_flag("--from", *options.from), true, {}};
  if (options.after) range = ReadRange{offset_flag("--after", *options.after), false, {}};
  if (options.to) range.to = offset_flag("--to", *options.to);
  if (range.to && *range.to < range.start)
    throw_bad_input(
        fmt::format("--to {} is before the start of the range ({}); give a --to at "
                    "or after it",
                    *range.to, range.start));
  if (options.last) {
    // offset_from_end(0) is the last offset: --last 0 starts after it, so it prints nothing
    // (and with --follow, only what comes next).
    Offset start = reader.offset_from_end(*options.last);
    range.start = start;
    range.inclusive = *options.last > 0 && !start.is_before_all();
  }
  return range;
}

int run_read(const ReadOptions& options, AppContext& context) {
  const ReadStrategy strategy = strategies_from_flag(options.strategy, false).front();
  // Range flags are checked before the log is looked at.
  for (const auto& [flag, value] :
       {std::pair{"--from", options.from}, {"--after", options.after}, {"--to", options.to}})
    if (value) offset_flag(flag, *value);
  LogReader reader(*context.fs, context.dir);
  warn_on_index_problems(reader);
  ReadRange range = range_from(options, reader);

  Output out;
  const bool raw = options.format == "raw";
  const char separator = options.nul_separated ? '\0' : '\n';
  uint64_t remaining = options.limit.value_or(UINT64_MAX);
  std::optional<Offset> last_printed;
  std::string line;  // reused for lines built apart: no allocation per entry
  auto print = [&](const EntryView& entry) {
    if (remaining == 0) return false;
    if (raw) {
      out.write(entry.bytes, separator);
    } else {
      write_entry_json_line(entry, out, line);
    }
    last_printed = entry.offset;
    --remaining;
    return remaining > 0;
  };

  // Loaded before each read: a publish after it changes it, so the wait below cannot sleep
  // through an entry the read missed.
  uint64_t seen = options.follow ? reader.publications() : 0;
  // A large buffer is read a piece at a time, each piece a read of its own that continues
  // after the last entry printed, so that memory stays bounded however much is buffered.
  reader.set_copy_limit(kCopyLimitBytes);
  auto read_from = [&](const ReadRange& start) {
    for (bool more = reader.read(start, strategy, print); more && remaining > 0;)
      more = reader.read(ReadRange{*last_printed, false, start.to}, strategy, print);
  };
  read_from(range);
  if (!options.follow) return 0;

  // --follow: keep reading what is published after the last printed entry, woken by the
  // writer's publish (or, where it cannot wake this process, every --poll-ms).
  std::signal(SIGINT, [](int) { g_interrupted = true; });
  std::signal(SIGTERM, [](int) { g_interrupted = true; });
  while (remaining > 0 && !g_interrupted) {
    out.flush();
    reader.wait_for_publish(seen, std::chrono::milliseconds(options.poll_ms));
    seen = reader.publications();
    ReadRange next = range;
    if (last_printed) next = ReadRange{*last_printed, false, range.to};
    if (next.to && !(next.start < *next.to)) break;
    read_from(next);
  }
  return 0;
}

}  // namespace

CommandRun setup_read(CLI::App& app, AppContext& context) {
  auto options = std::make_shared<ReadOptions>();
  CLI::App* command = app.add_subcommand(
      "read", "Print a range of entries (default: all), one JSON object per line");
  auto* from = command->add_option("--from", options->from, "Start at this offset (inclusive)");
  auto* after = command->add_option("--after", options->after,
                                    "Start after this offset (exclusive); -1 is before all");
  auto* last = add_number_option(*command, "--last", options->last, "Only the last N entries");
  from->excludes(after);
  last->excludes(from)->excludes(after);
  command->add_option("--to", options->to, "Stop at this offset (inclusive)");
  add_number_option(*command, "--limit", options->limit, "Print at most N entries");
  command->add_option("--format", options->format, "jsonl or raw (the appended bytes exactly)")
      ->check(CLI::IsMember({"jsonl", "raw"}))
      ->capture_default_str();
  command->add_flag("-0,--null", options->nul_separated,
                    "With --format raw, end each value with NUL instead of newline");
  add_strategy_option(*command, options->strategy, false);
  command->add_flag("-f,--follow", options->follow,
                    "After the existing entries, keep printing new ones until interrupted");
  add_number_option(*command, "--poll-ms", options->poll_ms,
                    "With --follow, how often to look when the writer cannot wake this reader",
                    kMaxMilliseconds)
      ->capture_default_str();
  return [options, &context] { return run_read(*options, context); };
}

}  // namespace shapelog::cli
