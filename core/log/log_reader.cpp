#include "shapelog/log_reader.h"

#include <algorithm>
#include <deque>
#include <thread>

#include "buffer/shared_buffer.h"
#include "segment/disk_log_reader.h"
#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "shapelog/yield_point.h"

namespace shapelog {

namespace {
// What offset_from_end copies out of the buffer at a time: it needs only offsets.
constexpr uint64_t kOffsetPieceBytes = 4 << 20;
}  // namespace

struct LogReader::State {
  State(FileSystem& fs, std::string dir_name) : fs(fs), dir(std::move(dir_name)), disk(fs, dir) {}

  // The shared buffer: nullptr while there is none. A writer may create it after this reader
  // started (read --follow), so each call looks again until there is one.
  SharedBuffer* shared_buffer() {
    if (!buffer) buffer = SharedBuffer::open_for_reader(fs, dir);
    return buffer.get();
  }
  // Reads range up to end from disk, then marks read.disk; ends_op says whether that is the
  // read's last point.
  void read_disk(const ReadRange& range, Offset end, std::string_view why, bool ends_op,
                 const EntrySink& sink, bool& stopped) const;

  FileSystem& fs;
  std::string dir;
  DiskLogReader disk;
  std::unique_ptr<SharedBuffer> buffer;
  BufferCopy copy;  // the last buffer copy: its memory is reused by the next read
  uint64_t copy_limit = UINT64_MAX;
};

LogReader::LogReader(FileSystem& fs, std::string dir) {
  require_log_directory(fs, dir);
  state_ = std::make_unique<State>(fs, std::move(dir));
}

LogReader::~LogReader() = default;

void LogReader::set_copy_limit(uint64_t bytes) { state_->copy_limit = bytes; }

void LogReader::set_warning_sink(WarningSink sink) {
  state_->disk.set_warning_sink(std::move(sink));
}

std::span<const Point> LogReader::points_of(ReadStrategy strategy) {
  static constexpr Point naive[] = {Point::ReadSnapshot, Point::ReadBuffer, Point::ReadDisk};
  static constexpr Point recheck[] = {Point::ReadSnapshot, Point::ReadRecheck, Point::ReadBuffer,
                                      Point::ReadDisk};
  static constexpr Point generation[] = {Point::ReadSnapshot, Point::ReadBuffer,
                                         Point::ReadValidate, Point::ReadDisk};
  switch (strategy) {
    case ReadStrategy::Naive:
    case ReadStrategy::Fallback: return naive;
    case ReadStrategy::Recheck: return recheck;
    case ReadStrategy::Generation: return generation;
  }
  return generation;
}

LogStats LogReader::stats() {
  LogStats stats;
  stats.meta = snapshot();
  stats.persisted_entries = state_->disk.tail().count;
  for (const SegmentFile& segment : list_segments(state_->fs, state_->dir))
    stats.segments.push_back(
        {segment.name, state_->fs.open_read(join_path(state_->dir, segment.name))->size()});
  stats.index_entries = OffsetIndexReader(state_->fs, state_->dir).size();
  if (const SharedBuffer* shared = state_->shared_buffer())
    stats.buffer =
        LogStats::Buffer{shared->buffered_entries(), shared->used_bytes(), shared->capacity()};
  return stats;
}

uint64_t LogReader::publications() {
  return state_->shared_buffer() ? state_->buffer->publications() : 0;
}

void LogReader::wait_for_publish(uint64_t seen, std::chrono::milliseconds timeout) {
  if (!state_->shared_buffer()) return std::this_thread::sleep_for(timeout);
  state_->buffer->attach_follower(state_->fs, state_->dir);
  state_->buffer->wait_for_publish(seen, timeout);
}

MetaSnapshot LogReader::snapshot() {
  if (state_->shared_buffer()) return state_->buffer->snapshot();
  Offset last = state_->disk.tail().last;
  return MetaSnapshot{last, last, 0};
}

void LogReader::State::read_disk(const ReadRange& range, Offset end, std::string_view why,
                                 bool ends_op, const EntrySink& sink, bool& stopped) const {
  const DiskLogReader::ReadSummary read = disk.read(range, end, sink);
  stopped = read.stopped;
  yield_at(Point::ReadDisk, [&](PointEvent& e) {
    e.entries = read.entries;
    e.first = read.first;
    e.last = read.last;
    e.note = why;
    e.ends_op = ends_op;
  });
}

bool LogReader::read(const ReadRange& range, ReadStrategy strategy, const EntrySink& sink) {
  const MetaSnapshot snap = snapshot();
  const Offset upper = range.to ? std::min(*range.to, snap.last_seen) : snap.last_seen;
  const bool nothing_published = !range.above_start(upper);
  yield_at(Point::ReadSnapshot, [&](PointEvent& e) {
    e.last_persisted = snap.last_persisted;
    e.last_seen = snap.last_seen;
    e.generation = snap.generation;
    e.note = nothing_published ? "nothing published in range" : "";
    e.ends_op = nothing_published;
  });
  if (nothing_published) return false;
  const Offset persisted = snap.last_persisted;
  bool stopped = false;

  // Classify the range from the snapshot alone.
  if (upper <= persisted) {
    state_->read_disk(range, upper, "disk only", true, sink, stopped);
    return false;
  }
  ReadRange buffer_range = range;
  if (range.above_start(persisted)) {
    state_->read_disk(range, persisted, "disk part", false, sink, stopped);
    if (stopped) return false;
    buffer_range = ReadRange{persisted, false, range.to};
  } else if (strategy == ReadStrategy::Recheck) {
    const Offset persisted_now = snapshot().last_persisted;
    const bool moved = range.above_start(persisted_now);
    yield_at(Point::ReadRecheck, [&](PointEvent& e) {
      e.last_persisted = persisted_now;
      e.note = moved ? "moved to disk" : "still buffered";
    });
    if (moved) {
      state_->read_disk(range, std::min(upper, persisted_now), "recheck saw a flush", true, sink,
                        stopped);
      return false;
    }
  }

  BufferCopy& copy = state_->copy;
  if (state_->shared_buffer()) state_->buffer->copy(buffer_range, upper, copy, state_->copy_limit);
  else copy.clear();
  // fallback: a copy that ended short of what the snapshot promised goes to disk. (A range
  // with no entries at all also looks short; its disk read finds nothing, correctly.)
  bool fall_back = strategy == ReadStrategy::Fallback && !copy.complete();
  yield_at(Point::ReadBuffer, [&](PointEvent& e) {
    e.entries = copy.size();
    if (!copy.empty()) {
      e.first = copy.first();
      e.last = copy.last();
    }
    if (fall_back) e.note = "copy ended short";
    e.ends_op = !fall_back && strategy != ReadStrategy::Generation;
  });

  if (strategy == ReadStrategy::Generation) {
    std::atomic_thread_fence(std::memory_order_acquire);
    const uint64_t generation_now = snapshot().generation;
    fall_back = generation_now != snap.generation;
    yield_at(Point::ReadValidate, [&](PointEvent& e) {
      e.generation = generation_now;
      e.note = fall_back ? "generation changed" : "generation unchanged";
      e.ends_op = !fall_back;
    });
  }
  if (fall_back) {
    state_->read_disk(buffer_range, upper, "fallback to disk", true, sink, stopped);
    return false;
  }
  return copy.for_each(sink) && copy.capped;
}

Offset LogReader::offset_from_end(uint64_t n) {
  if (n == 0) return snapshot().last_seen;
  const MetaSnapshot snap = snapshot();
  // The last n buffered offsets (all of them when fewer are buffered) and how many there
  // are, copied in pieces: a buffer of any size costs a piece and n offsets at most.
  std::deque<Offset> last_n;
  uint64_t buffered = 0;
  // Counts the buffered entries of range, keeping the last n offsets.
  auto count = [&](ReadRange piece) {
    last_n.clear();
    buffered = 0;
    for (;;) {
      state_->buffer->copy(piece, snap.last_seen, state_->copy,
                           std::min(state_->copy_limit, kOffsetPieceBytes));
      state_->copy.for_each([&](const EntryView& entry) {
        ++buffered;
        last_n.push_back(entry.offset);
        if (last_n.size() > n) last_n.pop_front();
        return true;
      });
      if (!state_->copy.capped) break;
      piece = ReadRange{state_->copy.last(), false, {}};
    }
  };
  if (snap.last_seen > snap.last_persisted && state_->shared_buffer()) {
    // First from entries of the buffer's index near its end, each tried twice as far from the
    // end as the one before: most often the last n lie after the first one tried, and then
    // the rest of the buffer is not walked. Then from the start, to count all of them.
    const std::vector<Offset> starts = state_->buffer->indexed_offsets();
    for (size_t i = 0; i < starts.size() && starts[i] > snap.last_persisted; i = 2 * i + 1) {
      count(ReadRange{starts[i], true, {}});
      if (buffered >= n) return last_n.front();
    }
    count(ReadRange{snap.last_persisted, false, {}});
  }
  if (buffered >= n) return last_n.front();
  // The rest comes from the disk; entries a flush in progress wrote beyond last_persisted
  // are on disk and in the buffer, and must be counted once. (Here last_n holds every
  // buffered offset.)
  DiskLogReader::Tail tail = state_->disk.tail();
  uint64_t on_disk = tail.count - static_cast<uint64_t>(std::count_if(
                                      last_n.begin(), last_n.end(),
                                      [&](Offset offset) { return offset <= tail.last; }));
  uint64_t wanted = n - buffered;
  if (wanted > on_disk) return Offset::before_all();
  return state_->disk.offset_of_ordinal(on_disk - wanted).value_or(Offset::before_all());
}

}  // namespace shapelog
