// Flags shared by the subcommands that open the writer (append, flush).
#pragma once

#include <CLI/CLI.hpp>

#include "shapelog/log_writer.h"

namespace shapelog::cli {

struct WriterFlags {
  uint64_t lock_timeout_ms = 10'000;
  uint64_t buffer_capacity = kDefaultBufferCapacity;
  uint64_t flush_threshold = 64 << 10;
};

void add_writer_flags(CLI::App& command, WriterFlags& flags);
WriterOptions writer_options(const WriterFlags& flags, const char* command);
// Prints the writer's recovery notes on stderr.
void print_warnings(const LogWriter& writer);

}  // namespace shapelog::cli
