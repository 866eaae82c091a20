// The yield hook of `shapelog stress`: real threads run the real log code, and every point
// they reach gets a global sequence number, so a bad read can be turned into a schedule.
// With chaos it also widens race windows by yielding or sleeping at points, seeded per
// actor (the idea of rr's chaos mode).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "common/split_mix.h"
#include "shapelog/yield_point.h"

namespace shapelog {

struct RecordedPoint {
  uint64_t seq = 0;
  uint64_t op = 0;  // the actor's op counter when the point was reached
  PointEvent event;
};

class StressRecorder : public YieldHook {
 public:
  // actors: how many threads will bind; record: keep events; chaos: perturb at points.
  StressRecorder(size_t actors, bool record, bool chaos, uint64_t seed);

  // Called by each actor thread before it touches the log.
  void bind_thread(size_t actor);

  void on_point(const PointEvent& event) override;

  // The calling actor's events since its last take_events() (its own thread only).
  std::vector<RecordedPoint> take_events();
  uint64_t op_counter() const;  // the calling actor's op counter

  // Drops the calling actor's oldest events beyond the newest `keep` (a long run's writer).
  void forget_old_events(size_t keep);
  // An actor's recorded events, oldest first; read only after its thread has stopped.
  const std::vector<RecordedPoint>& history(size_t actor) const;

 private:
  struct alignas(64) ActorLog {
    std::vector<RecordedPoint> events;
    uint64_t op = 0;
    SplitMix64 random{0};
  };
  std::vector<ActorLog> logs_;
  std::atomic<uint64_t> seq_{0};
  bool record_;
  bool chaos_;
  uint64_t seed_;
};

}  // namespace shapelog
