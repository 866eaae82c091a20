#include "shapelog/execution.h"

#include <boost/context/fiber.hpp>
#include <boost/context/pooled_fixedsize_stack.hpp>

#include "shapelog/error.h"

namespace shapelog {

namespace ctx = boost::context;

namespace {
constexpr size_t kFiberStackBytes = 256 << 10;

// Stacks are reused across executions: explore runs many thousands of them.
ctx::pooled_fixedsize_stack& stack_pool() {
  static thread_local ctx::pooled_fixedsize_stack pool(kFiberStackBytes);
  return pool;
}
}  // namespace

struct Execution::Actor {
  std::vector<Op> ops;
  size_t op_index = 0;
  ctx::fiber fiber;  // the actor's side: resumed to run a step
  ctx::fiber back;   // the driver's side: resumed by the actor at a point
  bool started = false;
  bool finished = false;
  bool at_last_point = false;
};

Execution::Execution(std::vector<std::vector<Op>> actors) {
  for (std::vector<Op>& ops : actors) {
    auto actor = std::make_unique<Actor>();
    actor->ops = std::move(ops);
    actor->finished = actor->ops.empty();
    actors_.push_back(std::move(actor));
  }
  install_yield_hook(this);
}

Execution::~Execution() {
  try {
    drain();
  } catch (...) {
    // An op failed while draining; what is left is unwound with the fibers below.
  }
  install_yield_hook(nullptr);
  actors_.clear();
}

void Execution::drain() {
  draining_ = true;
  for (size_t index = 0; index < actors_.size(); ++index)
    if (actors_[index]->started && !actors_[index]->finished) resume(index);
  failure_ = nullptr;
}

bool Execution::finished(size_t actor) const { return actors_[actor]->finished; }

size_t Execution::op_index(size_t actor) const { return actors_[actor]->op_index; }

bool Execution::all_finished() const {
  for (const auto& actor : actors_)
    if (!actor->finished) return false;
  return true;
}

void Execution::resume(size_t index) {
  Actor& actor = *actors_[index];
  current_ = index;
  if (!actor.started) {
    actor.started = true;
    actor.fiber = ctx::fiber(std::allocator_arg, stack_pool(), [this, &actor](ctx::fiber&& back) {
      actor.back = std::move(back);
      try {
        for (; actor.op_index < actor.ops.size(); ++actor.op_index) actor.ops[actor.op_index]();
        actor.op_index = actor.ops.size() - 1;
      } catch (const ctx::detail::forced_unwind&) {
        throw;  // the fiber is being destroyed: let it unwind
      } catch (...) {
        failure_ = std::current_exception();
      }
      actor.finished = true;
      return std::move(actor.back);
    });
  }
  actor.fiber = std::move(actor.fiber).resume();
}

const PointEvent& Execution::step(size_t index) {
  Actor& actor = *actors_[index];
  if (actor.finished) throw Error(ErrorKind::Internal, "step of a finished actor");
  reached_point_ = false;
  resume(index);
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  if (!reached_point_)
    throw Error(ErrorKind::Internal, "an actor ended a step without reaching a yield point");
  // After its last point an actor only returns; let it, so finished() is exact.
  if (actor.at_last_point) {
    resume(index);
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    if (!actor.finished)
      throw Error(ErrorKind::Internal, "an actor went on after its last yield point");
  }
  return event_;
}

void Execution::on_point(const PointEvent& event) {
  if (draining_) return;
  Actor& actor = *actors_[current_];
  event_ = event;
  reached_point_ = true;
  actor.at_last_point = event.ends_op && actor.op_index + 1 == actor.ops.size();
  actor.back = std::move(actor.back).resume();
}

}  // namespace shapelog
