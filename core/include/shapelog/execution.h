// One controlled execution of a few actors: each actor runs as a fiber (Boost.Context) on
// the calling thread, exactly one runs at a time, and a step runs one actor until it
// reaches its next named yield point. Which actor steps next is the caller's choice: the
// replay, explore and random policies sit on top of this driver.
//
// While an Execution exists it is the process's yield hook; only one may exist at a time,
// and it must be used from the thread that created it.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

#include "shapelog/yield_point.h"

namespace shapelog {

class Execution : public YieldHook {
 public:
  // One op of an actor: calls log code that reaches yield points, the last of which is
  // marked ends_op.
  using Op = std::function<void()>;

  explicit Execution(std::vector<std::vector<Op>> actors);
  ~Execution() override;
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  size_t actor_count() const { return actors_.size(); }
  bool finished(size_t actor) const;
  bool all_finished() const;
  // The actor whose step is running (valid inside an op).
  size_t current() const { return current_; }
  // The op the actor is in (or has just finished).
  size_t op_index(size_t actor) const;

  // Runs one step of actor, which must not be finished, and returns the event of the point
  // that ended it. An actor whose step ends its last op is finished after the step. An
  // exception thrown by an op is rethrown here.
  const PointEvent& step(size_t actor);

  void on_point(const PointEvent& event) override;

  // Runs every unfinished actor to its end without stopping at points, in listed order.
  // Used to drop an execution: a fiber that is destroyed while suspended is unwound by an
  // exception thrown on its own stack, which costs more and which AddressSanitizer cannot
  // follow across the switch.
  void drain();

 private:
  struct Actor;
  void resume(size_t actor);

  std::vector<std::unique_ptr<Actor>> actors_;
  size_t current_ = 0;
  PointEvent event_{};
  bool reached_point_ = false;
  bool draining_ = false;
  std::exception_ptr failure_;
};

}  // namespace shapelog
