#include "stress/stress_recorder.h"

#include <chrono>
#include <thread>

namespace shapelog {

namespace {
constexpr size_t kNoActor = SIZE_MAX;
thread_local size_t t_actor = kNoActor;

}  // namespace

StressRecorder::StressRecorder(size_t actors, bool record, bool chaos, uint64_t seed)
    : logs_(actors), record_(record), chaos_(chaos), seed_(seed) {}

void StressRecorder::bind_thread(size_t actor) {
  t_actor = actor;
  logs_[actor].random = SplitMix64(seed_ * 1000003 + actor);
}

void StressRecorder::on_point(const PointEvent& event) {
  if (t_actor == kNoActor) return;
  ActorLog& log = logs_[t_actor];
  if (record_) log.events.push_back({seq_.fetch_add(1, std::memory_order_acq_rel), log.op, event});
  if (event.ends_op) ++log.op;
  if (chaos_) {
    // Mostly nothing; sometimes give up the CPU; rarely sleep long enough for another
    // thread to run a whole op.
    uint64_t roll = log.random.below(64);
    if (roll < 8) std::this_thread::yield();
    else if (roll == 8) std::this_thread::sleep_for(std::chrono::microseconds(20 + roll));
  }
}

std::vector<RecordedPoint> StressRecorder::take_events() {
  std::vector<RecordedPoint> events;
  events.swap(logs_[t_actor].events);
  return events;
}

uint64_t StressRecorder::op_counter() const { return logs_[t_actor].op; }

void StressRecorder::forget_old_events(size_t keep) {
  std::vector<RecordedPoint>& events = logs_[t_actor].events;
  if (events.size() > 2 * keep) events.erase(events.begin(), events.end() - keep);
}

const std::vector<RecordedPoint>& StressRecorder::history(size_t actor) const {
  return logs_[actor].events;
}

}  // namespace shapelog
