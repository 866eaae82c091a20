#include "input/writer_flags.h"

#include <unistd.h>

#include <fmt/format.h>

#include "input/number_flags.h"
#include "output/output.h"

namespace shapelog::cli {

void add_writer_flags(CLI::App& command, WriterFlags& flags) {
  add_number_option(command, "--lock-timeout", flags.lock_timeout_ms,
                    "How long to wait for another writer, in milliseconds", kMaxMilliseconds)
      ->capture_default_str();
  add_number_option(command, "--buffer-capacity", flags.buffer_capacity,
                    "Bytes of the shared buffer, used when it is created")
      ->check(CLI::Range(kMinBufferCapacity, kMaxBufferCapacity))
      ->capture_default_str();
  add_number_option(command, "--flush-threshold", flags.flush_threshold,
                    "append flushes by itself once this many bytes are buffered (0: never)")
      ->capture_default_str();
}

WriterOptions writer_options(const WriterFlags& flags, const char* command) {
  WriterOptions options;
  options.lock_timeout = std::chrono::milliseconds(flags.lock_timeout_ms);
  options.holder_note = fmt::format("pid {} (shapelog {})", ::getpid(), command);
  options.buffer_capacity = flags.buffer_capacity;
  options.flush_threshold = flags.flush_threshold;
  return options;
}

void print_warnings(const LogWriter& writer) {
  for (const Warning& warning : writer.warnings()) print_warning(warning);
}

}  // namespace shapelog::cli
