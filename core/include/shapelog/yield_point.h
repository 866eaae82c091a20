// The hook behind the named yield points. The log code calls yield_at() at each point of
// point.h; with no hook installed that is one relaxed load and a predictable branch. Replay
// and explore install a scheduler here, stress installs a recorder. The event describes what
// the step just saw or did, for timelines and recordings; it is only filled in when a hook
// is installed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "shapelog/offset.h"
#include "shapelog/point.h"

namespace shapelog {

struct PointEvent {
  Point point;
  Offset last_persisted;  // snapshot, recheck, publish: the metadata seen or written
  Offset last_seen;
  uint64_t generation = 0;
  uint64_t entries = 0;  // entries appended, written, copied or read by the step
  Offset first;          // the first and last of those entries (-1 when none)
  Offset last;
  std::string_view note;  // the decision taken, e.g. "buffer only", "generation changed"
  bool ends_op = false;   // the op's last point: the actor's next step starts its next op
};

class YieldHook {
 public:
  virtual ~YieldHook() = default;
  virtual void on_point(const PointEvent& event) = 0;
};

namespace detail {
extern std::atomic<YieldHook*> g_yield_hook;
}

// Installs hook for every thread (nullptr removes it). The caller keeps it alive while
// installed.
void install_yield_hook(YieldHook* hook);

// Marks a yield point. fill(PointEvent&) describes the step; it runs only under a hook.
template <class Fill>
inline void yield_at(Point point, Fill&& fill) {
#ifndef SHAPELOG_NO_YIELD_POINTS
  if (YieldHook* hook = detail::g_yield_hook.load(std::memory_order_acquire)) [[unlikely]] {
    PointEvent event{point, {}, {}, 0, 0, {}, {}, {}, false};
    fill(event);
    hook->on_point(event);
  }
#else
  (void)point;
  (void)fill;
#endif
}

}  // namespace shapelog
