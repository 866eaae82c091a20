// Sleeping until the writer publishes, across processes and without spinning: a futex on the
// low half of the shared buffer's metadata sequence word (buffer_format.h), which every
// publish changes. The futex is a shared one (not FUTEX_PRIVATE_FLAG), keyed by the file's
// page, so a waiter in one process is woken by a writer in another; waiting works on a
// read-only mapping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace shapelog::publish_wait {

// Sleeps while the low 32 bits of `word` equal those of `expected`, at most `timeout`;
// returns at once when they differ, and may return early (a wake, a signal).
void wait(const std::atomic<uint64_t>& word, uint64_t expected, std::chrono::milliseconds timeout);

// Wakes every waiter on `word`.
void wake_all(const std::atomic<uint64_t>& word);

}  // namespace shapelog::publish_wait
