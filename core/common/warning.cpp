#include "shapelog/warning.h"

#include <fmt/format.h>

namespace shapelog {

namespace {

using namespace warning;

std::string element_text(const ScheduleElementRef& e) {
  if (e.steps)
    return fmt::format("schedule[{}] ({} for {} step{})", e.index, e.actor, *e.steps,
                       *e.steps == 1 ? "" : "s");
  return fmt::format("schedule[{}] ({} until {})", e.index, e.actor, e.until);
}

struct Text {
  std::string operator()(const IndexDamaged&) const {
    return "the offset index was damaged; rebuilt it from the segments";
  }
  std::string operator()(const IndexMismatch&) const {
    return "the offset index did not match the segments; rebuilt it";
  }
  std::string operator()(const IndexMismatchFrom& w) const {
    return fmt::format(
        "the offset index did not match the segments from entry {} on; rebuilt it from there",
        w.entry);
  }
  std::string operator()(const IndexRebuilt&) const { return "rebuilt the offset index"; }
  std::string operator()(const IndexDistrusted& w) const {
    return fmt::format(
        "the offset index does not match the log: {}; reads scan the segments instead, which "
        "returns the same entries more slowly; run 'shapelog check --repair' to rebuild the "
        "index",
        w.problem);
  }
  std::string operator()(const TornTailCut& w) const {
    return fmt::format("cut a torn tail of {} bytes from segment {} at byte {} ({}); {}", w.bytes,
                       w.segment, w.position, w.reason,
                       w.copy.empty() ? "they were all zeros, so no copy was kept"
                                      : fmt::format("the cut bytes are in {}", w.copy));
  }
  std::string operator()(const BufferReset& w) const {
    return fmt::format(
        "reset the shared buffer because {}; entries that were buffered but not flushed are "
        "gone, the disk log (last entry {}) is the truth",
        w.reason, w.disk_last);
  }
  std::string operator()(const BufferEntriesDropped& w) const {
    return fmt::format(
        "the disk log ends at {}, above buffered entries {}..{} that were never flushed, so a "
        "record on disk was not written by this log's writer; those entries cannot follow it "
        "and were dropped from the buffer, their records kept in {}; run 'shapelog check' and "
        "look at the segments' last records",
        w.disk_last, w.first, w.last, w.copy);
  }
  std::string operator()(const BufferAheadOfDisk& w) const {
    return fmt::format(
        "the shared buffer says {} is persisted but the disk log ends at {}; trusting the disk",
        w.persisted, w.disk_last);
  }
  std::string operator()(const ActorAlreadyFinished& w) const {
    return fmt::format("{}: {} has already finished; the element does nothing",
                       element_text(w.element), w.element.actor);
  }
  std::string operator()(const UntilNotReached& w) const {
    return fmt::format("{}: {} finished without reaching {}", element_text(w.element),
                       w.element.actor, w.element.until);
  }
  std::string operator()(const StepsRanOut& w) const {
    return fmt::format("{}: {} finished after {} of {} steps", element_text(w.element),
                       w.element.actor, w.taken, *w.element.steps);
  }
};

}  // namespace

std::string warning_text(const Warning& warning) { return std::visit(Text{}, warning); }

std::vector<std::string> warning_texts(const std::vector<Warning>& warnings) {
  std::vector<std::string> texts;
  texts.reserve(warnings.size());
  for (const Warning& warning : warnings) texts.push_back(warning_text(warning));
  return texts;
}

}  // namespace shapelog
