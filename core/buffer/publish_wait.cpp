#include "buffer/publish_wait.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bit>
#include <climits>

namespace shapelog::publish_wait {

namespace {

static_assert(std::endian::native == std::endian::little,
              "the futex word is the sequence's low half, its first four bytes");

// The futex word: the first four bytes of the 64-bit word.
const uint32_t* low_half(const std::atomic<uint64_t>& word) {
  return reinterpret_cast<const uint32_t*>(&word);
}

}  // namespace

void wait(const std::atomic<uint64_t>& word, uint64_t expected, std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  const timespec relative{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000};
  // EAGAIN (the word already differs), ETIMEDOUT and EINTR all mean: look again.
  ::syscall(SYS_futex, low_half(word), FUTEX_WAIT, static_cast<uint32_t>(expected), &relative,
            nullptr, 0);
}

void wake_all(const std::atomic<uint64_t>& word) {
  ::syscall(SYS_futex, low_half(word), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace shapelog::publish_wait
