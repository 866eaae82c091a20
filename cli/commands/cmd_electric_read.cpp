// shapelog electric read: a shape's records as JSON Lines or raw JSON bytes, seeking to --from
// through the chunk index; --snapshot for the initial snapshot's rows, --follow to keep going.
#include <atomic>
#include <chrono>
#include <csignal>
#include <deque>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/electric_commands.h"
#include "commands/electric_read_range.h"
#include "common/utf8.h"
#include "electric/chunk_index.h"
#include "electric/json_validator.h"
#include "electric/log_record_reader.h"
#include "electric/shape_dir.h"
#include "electric/snapshot_reader.h"
#include "input/number_flags.h"
#include "output/output.h"
#include "shapelog/error.h"

namespace shapelog::cli {

using namespace shapelog::electric;

namespace {

struct ElectricReadOptions {
  std::string shape_dir;
  std::optional<std::string> from, after, to;
  std::optional<uint64_t> last, limit;
  std::string format = "jsonl";
  bool nul_separated = false;
  bool snapshot = false;
  bool follow = false;
  bool no_index = false;
  uint64_t poll_ms = 50;
};

std::atomic<bool> g_interrupted{false};

void note(const std::string& message) { fmt::print(stderr, "shapelog: note: {}\n", message); }

// Where to start reading part for range: a chunk's start_pos when the index has one and the
// log agrees with it there, else 0 (said on stderr).
uint64_t start_position(const LogPart& part, const ReadOnlyFile& log, const ElectricRange& range,
                        bool use_index) {
  if (!range.start || !use_index) return 0;
  auto chunk_file = ReadOnlyFile::open(part.chunk_path);
  if (!chunk_file) {
    note(fmt::format("no chunk index at {}: scanning the log from its start", part.chunk_path));
    return 0;
  }
  ChunkIndex index(*chunk_file);
  if (index.count() == 0) {
    note(fmt::format("the chunk index {} is empty: scanning the log from its start",
                     part.chunk_path));
    return 0;
  }
  auto n = index.find(*range.start, range.inclusive);
  ChunkEntry entry = index.entry(n.value_or(index.count() - 1));
  const uint64_t pos = n ? entry.start_pos : entry.end_pos;
  // Check the index against the log where it sends us: a record must start there, with the
  // chunk's min offset (or, past the last chunk, with an offset after its max).
  LogRecordReader probe(log, pos);
  LogRecord record;
  std::string disagreement;
  const uint64_t size = log.size();
  if (pos > size) {
    disagreement =
        fmt::format("it points at byte {}, past the end of the log ({} bytes)", pos, size);
  } else if (pos < size) {
    if (probe.next(record) != LogRecordReader::Status::Record)
      disagreement = fmt::format("no whole record starts at byte {}", pos);
    else if (n && !(record.offset == entry.min))
      disagreement = fmt::format(
          "chunk {} says its first record is {}, the record at byte {} "
          "is {}",
          *n, entry.min, pos, record.offset);
    else if (!n && !(entry.max < record.offset))
      disagreement = fmt::format(
          "the record at byte {} ({}) is not after the last chunk's "
          "max {}",
          pos, record.offset, entry.max);
  }
  if (!disagreement.empty()) {
    note(
        fmt::format("the chunk index {} disagrees with the log: {}; scanning the log from its "
                    "start (shapelog electric check tells more)",
                    part.chunk_path, disagreement));
    return 0;
  }
  return pos;
}

class RecordPrinter {
 public:
  RecordPrinter(const ElectricReadOptions& options, Output& out)
      : raw_(options.format == "raw"),
        separator_(options.nul_separated ? '\0' : '\n'),
        remaining_(options.limit.value_or(UINT64_MAX)),
        out_(out) {}

  bool done() const { return remaining_ == 0; }

  void print(const LogRecord& record) {
    --remaining_;
    if (raw_) return out_.write(record.json, separator_);
    line_.clear();
    line_ += "{\"offset\":\"";
    const fmt::format_int tx(record.offset.tx()), op(record.offset.op());
    line_.append(tx.data(), tx.size());
    line_ += '_';
    line_.append(op.data(), op.size());
    line_ += "\",\"key\":";
    append_key(record.key);
    line_ += ",\"op\":";
    if (const char* name = op_name(record.op_type))
      fmt::format_to(std::back_inserter(line_), "\"{}\"", name);
    else fmt::format_to(std::back_inserter(line_), "\"unknown 0x{:02x}\"", record.op_type);
    append_value(record.json);
    line_ += '}';
    out_.line(line_);
  }

  void print_snapshot_row(uint64_t chunk, std::string_view row, bool padded) {
    --remaining_;
    if (raw_) return out_.write(row, separator_);
    line_.clear();
    fmt::format_to(std::back_inserter(line_), "{{\"snapshot_chunk\":{}", chunk);
    append_value(row, padded);
    line_ += '}';
    out_.line(line_);
  }

 private:
  // The json as it is when it is one valid JSON object on one line (what Electric writes);
  // re-serialized when it spans lines; as a string under "invalid_json" when it is not JSON.
  void append_value(std::string_view json, bool padded = true) {
    std::string problem;
    if (padded) {
      problem = validator_.problem(json);
    } else {
      padded_.assign(json);
      padded_.resize(json.size() + LogRecordReader::kPadding);
      problem = validator_.problem(std::string_view(padded_.data(), json.size()));
    }
    if (!problem.empty()) {
      line_ += ",\"value\":null,\"invalid_json\":";
      append_json_string(json, line_);
      return;
    }
    line_ += ",\"value\":";
    if (one_line(json)) line_ += json;
    else line_ += nlohmann::json::parse(json).dump();
  }

  // Electric's keys are ASCII with quotes in them ("public"."items"/"42"): escaped here
  // directly; anything else through append_json_string, which also mends invalid UTF-8.
  void append_key(std::string_view key) {
    for (char c : key)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80)
        return append_json_string(key, line_);
    line_ += '"';
    for (char c : key) {
      if (c == '"' || c == '\\') line_ += '\\';
      line_ += c;
    }
    line_ += '"';
  }

  bool raw_;
  char separator_;
  uint64_t remaining_;
  Output& out_;
  JsonValidator validator_;
  std::string line_, padded_;
};

void warn_cut(const ReadOnlyFile& log, const LogRecordReader& reader) {
  fmt::print(stderr,
             "shapelog: warning: {} ends in a record cut short at byte {} (it needs {} bytes, "
             "{} are there): a write in progress, or a torn write; shapelog electric check "
             "tells which\n",
             log.path(), reader.position(), reader.cut_need(), log.size() - reader.position());
}

void sleep_poll(const ElectricReadOptions& options, Output& out) {
  out.flush();
  std::this_thread::sleep_for(std::chrono::milliseconds(options.poll_ms));
}

// --last N: the part and position of the N-th record from the end within the range.
std::optional<std::pair<size_t, uint64_t>> last_start(const ShapeDir& shape,
                                                      const ElectricRange& range, uint64_t n) {
  std::deque<std::pair<size_t, uint64_t>> ring;
  if (n == 0) return std::nullopt;
  for (size_t i = 0; i < shape.parts.size(); ++i) {
    auto log = ReadOnlyFile::open(shape.parts[i].json_path);
    if (!log) continue;
    log->expect_sequential();
    LogRecordReader reader(*log);
    LogRecord record;
    while (reader.next(record) == LogRecordReader::Status::Record) {
      if (!shape.parts[i].holds(record.offset) || !range.admits(record.offset)) continue;
      ring.emplace_back(i, record.pos);
      if (ring.size() > n) ring.pop_front();
    }
  }
  if (ring.empty()) return std::nullopt;
  return ring.front();
}

int read_snapshot(const ElectricReadOptions& options, const ShapeDir& shape) {
  Output out;
  RecordPrinter printer(options, out);
  for (uint64_t n = 0; !printer.done(); ++n) {
    auto file = ReadOnlyFile::open(shape.snapshot_chunk_path(n));
    if (!file) {
      if (n == 0) note(fmt::format("no snapshot chunks in {}", shape.log_dir()));
      break;
    }
    SnapshotReader reader(*file);
    std::string_view row;
    while (!printer.done() && reader.next(row)) printer.print_snapshot_row(n, row, false);
    if (!printer.done() && !reader.terminated())
      fmt::print(stderr,
                 "shapelog: warning: {} has no terminator (byte 0x04) at its end: the snapshot "
                 "is still being written, or the file was cut\n",
                 file->path());
  }
  return 0;
}

int run_electric_read(const ElectricReadOptions& options) {
  const ElectricRange range = electric_range(options.from, options.after, options.to);
  const ShapeDir shape = open_shape_dir(options.shape_dir);
  if (options.snapshot) return read_snapshot(options, shape);

  Output out;
  RecordPrinter printer(options, out);
  size_t first_part = 0;
  std::optional<uint64_t> forced_start;
  if (options.last) {
    auto start = last_start(shape, range, *options.last);
    if (!start && !options.follow) return 0;
    if (start) std::tie(first_part, forced_start) = *start;
    else first_part = shape.parts.size() - 1, forced_start = UINT64_MAX;  // only what comes
  }
  for (size_t i = first_part; i < shape.parts.size() && !printer.done(); ++i) {
    const LogPart& part = shape.parts[i];
    const bool tail = i + 1 == shape.parts.size();
    auto log = ReadOnlyFile::open(part.json_path);
    while (!log && tail && options.follow && !g_interrupted) {
      sleep_poll(options, out);  // the log file appears with the first append
      log = ReadOnlyFile::open(part.json_path);
    }
    if (!log) continue;
    log->expect_sequential();
    uint64_t start = forced_start && i == first_part
                         ? *forced_start
                         : start_position(part, *log, range, !options.no_index);
    if (start == UINT64_MAX) start = log->size();  // --last 0 --follow: from the end
    LogRecordReader reader(*log, start);
    LogRecord record;
    while (!printer.done()) {
      const auto status = reader.next(record);
      if (status == LogRecordReader::Status::Record) {
        if (range.past_end(record.offset)) return 0;
        if (!part.holds(record.offset) || !range.admits(record.offset)) continue;
        printer.print(record);
        continue;
      }
      if (!(tail && options.follow)) {
        if (status == LogRecordReader::Status::Cut) warn_cut(*log, reader);
        break;
      }
      // --follow: a record cut short is one being written; wait for the rest of it.
      if (g_interrupted) return 0;
      if (log->size() < reader.position())
        throw Error(ErrorKind::Io,
                    fmt::format("{} became shorter than byte {} while being followed (Electric's "
                                "recovery truncates it on restart); run the command again",
                                log->path(), reader.position()));
      sleep_poll(options, out);
    }
  }
  return 0;
}

}  // namespace

CommandRun setup_electric_read(CLI::App& group) {
  auto options = std::make_shared<ElectricReadOptions>();
  CLI::App* command = group.add_subcommand(
      "read", "Print a shape's records as JSON Lines ({offset, key, op, value}) or raw JSON bytes");
  command
      ->add_option("SHAPE_DIR", options->shape_dir,
                   "The shape's directory, STORAGE_DIR/STACK_ID/ab/cd/HANDLE")
      ->required();
  auto* from = command->add_option("--from", options->from, "Start at this offset (inclusive)");
  auto* after = command->add_option("--after", options->after,
                                    "Start after this offset (exclusive); -1 is before all");
  auto* last = add_number_option(*command, "--last", options->last, "Only the last N records");
  from->excludes(after);
  last->excludes(from)->excludes(after);
  command->add_option("--to", options->to, "Stop at this offset (inclusive)");
  add_number_option(*command, "--limit", options->limit, "Print at most N records");
  command->add_option("--format", options->format, "jsonl or raw (each record's JSON bytes)")
      ->check(CLI::IsMember({"jsonl", "raw"}))
      ->capture_default_str();
  command->add_flag("-0,--null", options->nul_separated,
                    "With --format raw, end each record with NUL instead of newline");
  auto* snapshot = command->add_flag(
      "--snapshot", options->snapshot,
      "Print the initial snapshot's rows (log/N.jsonsnapshot) instead of the log");
  snapshot->excludes(from)->excludes(after)->excludes(last);
  command->add_flag("--no-index", options->no_index,
                    "Find --from by scanning the log, not through the chunk index");
  auto* follow = command->add_flag(
      "-f,--follow", options->follow,
      "After the existing records, keep printing new ones as Electric appends them");
  follow->excludes(snapshot);
  add_number_option(*command, "--poll-ms", options->poll_ms, "With --follow, how often to look",
                    kMaxMilliseconds)
      ->capture_default_str();
  return [options] {
    if (options->follow) {
      std::signal(SIGINT, [](int) { g_interrupted = true; });
      std::signal(SIGTERM, [](int) { g_interrupted = true; });
    }
    return run_electric_read(*options);
  };
}

}  // namespace shapelog::cli
