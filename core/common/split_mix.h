// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator that gives the same
// numbers on every platform, so a printed seed reproduces a run anywhere. Not for secrets.
#pragma once

#include <cstdint>

namespace shapelog {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // A number below n (n > 0); the tiny modulo bias does not matter for scheduling.
  uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

}  // namespace shapelog
