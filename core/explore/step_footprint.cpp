#include "explore/step_footprint.h"

#include <cstdint>

namespace shapelog {

namespace {

enum Field : uint8_t {
  kLastSeen = 1 << 0,
  kLastPersisted = 1 << 1,
  kGeneration = 1 << 2,
  kHead = 1 << 3,
  kTail = 1 << 4,
};

struct Footprint {
  uint8_t reads = 0;
  uint8_t writes = 0;
};

constexpr Footprint footprint(Point point) {
  switch (point) {
    case Point::AppendBuffer: return {0, 0};
    case Point::AppendPublish: return {0, kTail | kLastSeen | kLastPersisted};
    case Point::FlushWrite: return {0, 0};
    case Point::FlushPublish: return {0, kLastPersisted};
    case Point::FlushTrim: return {0, kHead | kGeneration};
    case Point::ReadSnapshot: return {kLastPersisted | kLastSeen | kGeneration, 0};
    case Point::ReadRecheck: return {kLastPersisted, 0};
    case Point::ReadBuffer: return {kHead | kTail, 0};
    case Point::ReadDisk: return {0, 0};
    case Point::ReadValidate: return {kGeneration, 0};
  }
  return {0xff, 0xff};
}

}  // namespace

bool writes_shared_state(Point point) { return footprint(point).writes != 0; }

bool steps_commute(Point a, Point b) {
  Footprint x = footprint(a), y = footprint(b);
  return (x.writes & (y.reads | y.writes)) == 0 && (y.writes & x.reads) == 0;
}

}  // namespace shapelog
