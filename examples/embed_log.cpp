// A program that embeds shapelog's core through its public API alone (core/include/shapelog/):
// it writes a log, flushes part of it, reads it back under every strategy while the rest is
// still buffered, and replays a trace on the real code. CTest runs it with the seed race
// (example.embed_log); it is built with only the public folder on its include path, so the
// API it shows keeps compiling and keeps working.
//
//   embed_log TRACE.json    exit 0 when every check held, 1 when one did not, 2 on bad input
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "shapelog/error.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/schedule_policies.h"
#include "shapelog/trace_file.h"
#include "shapelog/trace_run.h"

namespace {

using namespace shapelog;

int failures = 0;

void expect(bool held, const std::string& what) {
  std::printf("%s: %s\n", held ? "ok" : "FAILED", what.c_str());
  if (!held) ++failures;
}

// Two transactions flushed to the segments, a third left in the shared buffer.
void write_and_read() {
  MemoryFileSystem fs;
  const std::vector<Entry> persisted = {offset_entry(Offset(1, 0)), offset_entry(Offset(1, 1)),
                                        offset_entry(Offset(2, 0))};
  const std::vector<Entry> buffered = {Entry{Offset(3, 0), ValueKind::Json, R"({"n":3})"}};
  WriterOptions options;
  options.flush_threshold = 0;  // flush only when asked
  LogWriter writer(fs, "log", options);
  writer.append({persisted[0], persisted[1]});
  writer.append({persisted[2]});
  writer.flush();
  writer.append(buffered);

  LogReader reader(fs, "log");
  const LogStats stats = reader.stats();
  expect(stats.persisted_entries == 3 && stats.buffer && stats.buffer->entries == 1,
         "stats: 3 entries in the segments, 1 in the buffer");
  std::vector<Entry> all = persisted;
  all.insert(all.end(), buffered.begin(), buffered.end());
  for (ReadStrategy strategy : kAllStrategies) {
    std::vector<Entry> got;
    reader.read(ReadRange{Offset::before_all(), false, {}}, strategy, [&](const EntryView& entry) {
      got.push_back(entry.owned());
      return true;
    });
    expect(got == all, "read everything, strategy " + std::string(strategy_name(strategy)));
  }
}

// Replays the trace under every strategy it expects an outcome for.
void replay(const std::string& path) {
  const Trace trace = load_trace_file(path);
  for (const auto& [strategy, expected] : trace.expect) {
    MemoryFileSystem fs;
    ReplayPolicy policy(trace);
    const RunResult run = run_trace(trace, RunOptions{strategy, &fs, "log"}, policy);
    expect(run.outcome == expected, "replay " + path + " under " +
                                        std::string(strategy_name(strategy)) + ": " +
                                        std::string(outcome_name(run.outcome)));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: embed_log TRACE.json\n");
    return 2;
  }
  try {
    write_and_read();
    replay(argv[1]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "embed_log: %s\n", error.what());
    return 2;
  }
  return failures == 0 ? 0 : 1;
}
