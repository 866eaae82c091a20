// A page that no correct log can produce, for test_html.sh: TRACE replayed with the naive
// strategy, then its first read given a wrong value, as a log that returned damaged bytes
// would: expected the trace's value, got GOT (which may hold invalid UTF-8, which no trace
// can). The replay binary cannot make this page; the page's code is the binary's.
//
//   html_fixture TRACE GOT OUT.html
#include <fstream>
#include <iostream>
#include <sstream>

#include "output/html_timeline.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/schedule_policies.h"
#include "trace/trace_reader.h"

using namespace shapelog;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: html_fixture TRACE GOT OUT.html\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  Trace trace = parse_trace(text.str(), argv[1]);
  MemoryFileSystem fs;
  ReplayPolicy policy(trace);
  RunResult run = run_trace(trace, RunOptions{ReadStrategy::Naive, &fs, "/log"}, policy);
  if (run.reads.empty() || run.reads.front().result.empty()) {
    std::cerr << "html_fixture: the trace's first read must return an entry\n";
    return 2;
  }
  ReadRecord& read = run.reads.front();
  Entry got = read.result.front();
  Entry expected = got;
  got.bytes = argv[2];
  read.verdict.ok = false;
  read.verdict.wrong_value.emplace_back(expected, got);
  run.outcome = Outcome::Race;
  std::ofstream(argv[3], std::ios::binary)
      << cli::html_timeline(trace, {run}, "html_fixture " + std::string(argv[1]));
  return 0;
}
