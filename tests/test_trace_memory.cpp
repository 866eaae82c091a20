// What parsing a trace costs in memory, measured (getrusage's peak): at most
// kTraceParseFactor times the text for any shape of JSON, plus a fixed allowance. Each case
// runs in its own process under CTest, so the peak before it is the process's start.
#include <sys/resource.h>

#include <string>

#include <doctest/doctest.h>

#include "shapelog/error.h"
#include "trace/json_text.h"
#include "trace/trace_reader.h"

using namespace shapelog;

namespace {

uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

// A trace of about `bytes` whose bulk is `count` repetitions of `item` at `where`.
std::string trace_with(const std::string& where, const std::string& item, size_t bytes) {
  std::string bulk;
  const size_t count = bytes / (item.size() + 1);
  bulk.reserve(count * (item.size() + 1));
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) bulk += ',';
    bulk += item;
  }
  std::string actors = R"("actors": [{"name": "r1", "ops": [{"op": "read"}]}])";
  if (where == "schedule")
    return R"({"format": "shapelog-trace/1", )" + actors + R"(, "schedule": [)" + bulk + "]}";
  return R"({"format": "shapelog-trace/1", )" + actors + R"(, "x-bulk": [)" + bulk + "]}";
}

// Parses a trace whose bulk is `item` repeated, refused or not, and checks the peak.
void check_parse_cost(const std::string& where, const std::string& item, size_t bytes) {
  const std::string text = trace_with(where, item, bytes);
  const uint64_t before = peak_rss_bytes();
  std::optional<Error> refused;
  try {
    Trace trace = parse_trace(text, "big.json");
  } catch (const Error& error) {
    refused = error;
  }
  const uint64_t grown = peak_rss_bytes() - before;
  MESSAGE(where << " of " << item.substr(0, 20) << ": " << grown / double(text.size())
                << " times the text" << std::string(refused ? " (refused)" : ""));
  CHECK(grown <= kTraceParseFactor * text.size() + kTraceParseAllowance);
}

// AddressSanitizer's allocator keeps redzones and a quarantine of freed memory, so the peak
// there measures the sanitizer, not the parser: the bound is checked in the other builds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAllocatorIsSanitized = true;
#else
constexpr bool kAllocatorIsSanitized = false;
#endif

}  // namespace

// At 8 MiB the dense shapes are refused (and cost what they cost until then); at 512 KiB they
// are parsed, as close to the estimate's limit as the allowance lets them come.
#define PARSE_COST_CASES(name, where, item)                                               \
  TEST_CASE("trace memory: " name " in 512 KiB" * doctest::skip(kAllocatorIsSanitized)) { \
    check_parse_cost(where, item, 512 << 10);                                             \
  }                                                                                       \
  TEST_CASE("trace memory: " name " in 8 MiB" * doctest::skip(kAllocatorIsSanitized)) {   \
    check_parse_cost(where, item, 8 << 20);                                               \
  }

PARSE_COST_CASES("an array of one-digit numbers", "x-", "0")
PARSE_COST_CASES("an array of empty objects", "x-", "{}")
PARSE_COST_CASES("an array of empty arrays", "x-", "[]")
PARSE_COST_CASES("an array of short strings", "x-", R"("ab")")
PARSE_COST_CASES("one long string", "x-", '"' + std::string(4000, 'a') + '"')
PARSE_COST_CASES("a long schedule", "schedule", R"("r1")")
PARSE_COST_CASES("a schedule of objects", "schedule", R"({"actor":"r1"})")
