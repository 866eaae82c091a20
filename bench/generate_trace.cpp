// Prints a generated trace (core/trace/trace_generator.h), so that a benchmark's input can be
// explored, replayed or kept: generate_trace --seed 1 > generated.json
//   generate_trace [--seed N] [--writer-ops N] [--max-append N] [--flush-every N]
//                  [--readers N] [--reads N] [--near-end N]
// The defaults are TraceShape's: bench_explore's part 4.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "trace/trace_generator.h"
#include "trace/trace_writer.h"

int main(int argc, char** argv) {
  shapelog::TraceShape shape;  // bench_explore's part 4 unless flags say otherwise
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
      const unsigned long value = std::stoul(argv[++i]);
      if (flag == "--seed") shape.seed = value;
      else if (flag == "--writer-ops") shape.writer_ops = static_cast<uint32_t>(value);
      else if (flag == "--max-append") shape.max_append = static_cast<uint32_t>(value);
      else if (flag == "--flush-every") shape.flush_every = static_cast<uint32_t>(value);
      else if (flag == "--readers") shape.readers = static_cast<uint32_t>(value);
      else if (flag == "--reads") shape.reads_per_reader = static_cast<uint32_t>(value);
      else if (flag == "--near-end") shape.near_end = static_cast<uint32_t>(value);
      else throw std::runtime_error("unknown flag " + flag);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "generate_trace: %s\n", error.what());
    return 2;
  }
  std::fputs(shapelog::write_trace(shapelog::generate_trace(shape)).c_str(), stdout);
  return 0;
}
