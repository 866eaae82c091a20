// The yield points of appends, flushes and the four read strategies (trace format, "Steps
// and points"), and the seed's race reproduced by hand from inside a yield hook, without the
// scheduler.
#include <chrono>

#include <doctest/doctest.h>

#include "log_test_support.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/memory_file_system.h"

using namespace shapelog;
using namespace shapelog::logtest;
using namespace std::chrono_literals;

namespace {

const std::string kDir = "/log";

struct Recorded {
  Point point;
  bool ends_op;
  std::string note;
};

// Records every point reached while installed.
class Recorder {
 public:
  Recorder()
      : hook_([this](const PointEvent& e) {
          events.push_back({e.point, e.ends_op, std::string(e.note)});
        }) {}
  std::vector<Recorded> events;

  template <class Op>
  std::vector<Recorded> record(Op&& op) {
    events.clear();
    ScopedHook scoped(hook_);
    op();
    return events;
  }

 private:
  FunctionHook hook_;
};

std::vector<Point> points_of(const std::vector<Recorded>& events) {
  std::vector<Point> points;
  for (const Recorded& e : events) points.push_back(e.point);
  return points;
}

std::vector<std::string_view> names_of(const std::vector<Point>& points) {
  std::vector<std::string_view> names;
  for (Point p : points) names.push_back(point_name(p));
  return names;
}

// The points of one op are `expected`, and only the last one ends the op.
void check_one_op(const std::vector<Recorded>& events, const std::vector<Point>& expected) {
  CHECK(names_of(points_of(events)) == names_of(expected));
  for (size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].ends_op == (i + 1 == events.size()));
  }
}

// Persisted: 1_0 1_1 2_0 2_1 3_0 3_1; buffered: 4_0 4_1 5_0 5_1.
struct PointsLog {
  MemoryFileSystem fs;
  LogWriter writer{fs, kDir, manual_flush()};
  std::vector<Entry> all;
  PointsLog() {
    for (uint64_t tx = 1; tx <= 5; ++tx) {
      writer.append(transaction(tx, 2));
      append_all(all, transaction(tx, 2));
      if (tx == 3) writer.flush();
    }
  }
};

// The seed: persisted 10_0, buffered 11_0 11_1 (or, straddling, persisted up to 3_1 and
// buffered 4_0 4_1).
struct RaceLog {
  MemoryFileSystem fs;
  LogWriter writer{fs, kDir, manual_flush()};
  std::vector<Entry> all;
  explicit RaceLog(bool straddling = false) {
    if (straddling) {
      for (uint64_t tx = 1; tx <= 3; ++tx) add(transaction(tx, 2));
      writer.flush();
      add(transaction(4, 2));
    } else {
      add({entry(10, 0)});
      writer.flush();
      add({entry(11, 0), entry(11, 1)});
    }
  }
  void add(const std::vector<Entry>& txn) {
    writer.append(txn);
    append_all(all, txn);
  }
};

// Reads range with strategy; the first time the reader reaches `at`, runs `interfere` from
// inside the hook (the writer's own points pass through untouched).
std::vector<Entry> read_interfered(RaceLog& log, ReadStrategy strategy, const ReadRange& range,
                                   Point at, const std::function<void()>& interfere) {
  LogReader reader(log.fs, kDir);
  bool fired = false, inside = false;
  FunctionHook hook([&](const PointEvent& event) {
    if (inside || fired || event.point != at) return;
    fired = inside = true;
    interfere();
    inside = false;
  });
  ScopedHook scoped(hook);
  std::vector<Entry> got = read_log(reader, strategy, range);
  CHECK(fired);
  return got;
}

}  // namespace

TEST_CASE("read strategies: append and flush reach their points in order") {
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, manual_flush(kMinBufferCapacity));
  Recorder recorder;
  SUBCASE("append") {
    check_one_op(recorder.record([&] { writer.append(transaction(1, 2)); }),
                 {Point::AppendBuffer, Point::AppendPublish});
  }
  SUBCASE("flush") {
    writer.append(transaction(1, 2));
    check_one_op(recorder.record([&] { writer.flush(); }),
                 {Point::FlushWrite, Point::FlushPublish, Point::FlushTrim});
  }
  SUBCASE("an append that fills the buffer flushes first, inside the same op") {
    while (writer.snapshot().last_persisted.is_before_all()) {
      const uint64_t tx =
          writer.snapshot().last_seen.is_before_all() ? 1 : writer.snapshot().last_seen.tx() + 1;
      const auto events = recorder.record([&] { writer.append(transaction(tx, 1, 900)); });
      if (events.size() == 2) {
        check_one_op(events, {Point::AppendBuffer, Point::AppendPublish});
      } else {
        check_one_op(events, {Point::FlushWrite, Point::FlushPublish, Point::FlushTrim,
                              Point::AppendBuffer, Point::AppendPublish});
      }
    }
  }
  SUBCASE("an append that reaches flush_threshold ends with the flush") {
    WriterOptions options = manual_flush();
    options.flush_threshold = 1;
    MemoryFileSystem fs2;
    LogWriter eager(fs2, kDir, options);
    check_one_op(recorder.record([&] { eager.append(transaction(1, 1)); }),
                 {Point::AppendBuffer, Point::AppendPublish, Point::FlushWrite, Point::FlushPublish,
                  Point::FlushTrim});
  }
  SUBCASE("a transaction larger than the buffer") {
    check_one_op(recorder.record([&] { writer.append({entry(1, 0, std::string(5000, 'x'))}); }),
                 {Point::FlushWrite, Point::FlushPublish, Point::FlushTrim, Point::AppendBuffer,
                  Point::AppendPublish});
  }
}

TEST_CASE("read strategies: each read reaches read.snapshot, then its strategy's points") {
  PointsLog log;
  LogReader reader(log.fs, kDir);
  Recorder recorder;
  auto record_read = [&](ReadStrategy strategy, const ReadRange& range) {
    std::vector<Entry> got;
    auto events = recorder.record([&] { got = read_log(reader, strategy, range); });
    CHECK(got == expected_in(log.all, range, Offset(5, 1)));
    return events;
  };
  using P = Point;
  for (ReadStrategy strategy : kAllStrategies) {
    CAPTURE(strategy_name(strategy));
    SUBCASE("nothing published in the range") {
      check_one_op(record_read(strategy, after(Offset(5, 1))), {P::ReadSnapshot});
    }
    SUBCASE("disk only") {
      check_one_op(record_read(strategy, after(Offset(1, 0), Offset(3, 1))),
                   {P::ReadSnapshot, P::ReadDisk});
    }
    SUBCASE("buffer only") {
      std::vector<Point> expected;
      switch (strategy) {
        case ReadStrategy::Naive:
        case ReadStrategy::Fallback: expected = {P::ReadSnapshot, P::ReadBuffer}; break;
        case ReadStrategy::Recheck:
          expected = {P::ReadSnapshot, P::ReadRecheck, P::ReadBuffer};
          break;
        case ReadStrategy::Generation:
          expected = {P::ReadSnapshot, P::ReadBuffer, P::ReadValidate};
          break;
      }
      check_one_op(record_read(strategy, after(Offset(3, 1))), expected);
      check_one_op(record_read(strategy, from(Offset(4, 1), Offset(5, 0))), expected);
    }
    SUBCASE("straddling disk and buffer") {
      std::vector<Point> expected = {P::ReadSnapshot, P::ReadDisk, P::ReadBuffer};
      if (strategy == ReadStrategy::Generation) expected.push_back(P::ReadValidate);
      check_one_op(record_read(strategy, after(Offset(1, 0))), expected);
      check_one_op(record_read(strategy, from(Offset(2, 1), Offset(4, 0))), expected);
    }
  }
}

TEST_CASE("read strategies: the seed race, flush while the reader holds its snapshot") {
  const ReadRange range = after(Offset(10, 0));
  const std::vector<Entry> expected = {entry(11, 0), entry(11, 1)};
  bool append_after_flush = false;
  SUBCASE("flush") {}
  SUBCASE("flush, then a new transaction refills the buffer") { append_after_flush = true; }
  CAPTURE(append_after_flush);

  for (ReadStrategy strategy : kAllStrategies) {
    CAPTURE(strategy_name(strategy));
    RaceLog log;
    const std::vector<Entry> got = read_interfered(log, strategy, range, Point::ReadSnapshot, [&] {
      log.writer.flush();
      if (append_after_flush) log.writer.append({entry(12, 0)});
    });
    if (strategy == ReadStrategy::Naive)
      CHECK(got.empty());  // the race: on disk, yet "nothing new"
    else CHECK(got == expected);
  }
}

TEST_CASE("read strategies: recheck loses data when the flush comes after its re-check") {
  bool append_after_flush = false;
  SUBCASE("flush") {}
  SUBCASE("flush, then a new transaction") { append_after_flush = true; }
  RaceLog log;
  const std::vector<Entry> got =
      read_interfered(log, ReadStrategy::Recheck, after(Offset(10, 0)), Point::ReadRecheck, [&] {
        log.writer.flush();
        if (append_after_flush) log.writer.append({entry(12, 0)});
      });
  CHECK(got.empty());
}

TEST_CASE("read strategies: a straddling read races with a flush after its disk part") {
  bool append_after_flush = false;
  SUBCASE("flush") {}
  SUBCASE("flush, then a new transaction") { append_after_flush = true; }
  CAPTURE(append_after_flush);
  const ReadRange range = after(Offset(1, 0));
  for (ReadStrategy strategy : kAllStrategies) {
    CAPTURE(strategy_name(strategy));
    RaceLog log(true);
    const std::vector<Entry> wanted = expected_in(log.all, range, Offset(4, 1));
    const std::vector<Entry> got = read_interfered(log, strategy, range, Point::ReadDisk, [&] {
      log.writer.flush();
      if (append_after_flush) log.writer.append({entry(5, 0)});
    });
    if (strategy == ReadStrategy::Naive || strategy == ReadStrategy::Recheck) {
      // The disk part up to the snapshot's last_persisted, then an empty buffer.
      CHECK(got == expected_in(log.all, after(Offset(1, 0), Offset(3, 1)), Offset(3, 1)));
    } else {
      CHECK(got == wanted);
    }
  }
}

TEST_CASE("read strategies: with no interference every strategy reads the whole range") {
  PointsLog log;
  LogReader reader(log.fs, kDir);
  std::vector<Offset> starts = {Offset::before_all()};
  for (const Entry& e : log.all) starts.push_back(e.offset);
  for (ReadStrategy strategy : kAllStrategies) {
    for (Offset start : starts) {
      for (bool inclusive : {false, true}) {
        const ReadRange range{start, inclusive, {}};
        CAPTURE(strategy_name(strategy));
        CAPTURE(start);
        CHECK(read_log(reader, strategy, range) == expected_in(log.all, range, Offset(5, 1)));
        const ReadRange bounded{start, inclusive, Offset(4, 0)};
        CHECK(read_log(reader, strategy, bounded) == expected_in(log.all, bounded, Offset(5, 1)));
      }
    }
  }
}
