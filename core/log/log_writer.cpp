#include "shapelog/log_writer.h"

#include <fmt/format.h>

#include "buffer/shared_buffer.h"
#include "segment/disk_log_writer.h"
#include "segment/log_directory.h"
#include "segment/record_format.h"
#include "shapelog/error.h"
#include "shapelog/yield_point.h"

namespace shapelog {

namespace {

// What a yield point says about the entries an operation moved.
struct MovedEntries {
  uint64_t count = 0;
  Offset first, last;

  void add(Offset offset) {
    if (count++ == 0) first = offset;
    last = offset;
  }
  void describe(PointEvent& event) const {
    event.entries = count;
    if (count > 0) {
      event.first = first;
      event.last = last;
    }
  }
};

template <class Entries>
void describe_entries(PointEvent& event, const Entries& entries) {
  MovedEntries moved;
  for (size_t i = 0; i < entries.size(); ++i) moved.add(entry_at(entries, i).offset);
  moved.describe(event);
}

}  // namespace

struct LogWriter::State {
  // Takes the lock, then recovers the disk log, then opens the buffer against it: in the
  // order of the members.
  State(FileSystem& fs, const std::string& dir, const WriterOptions& options)
      : options(options),
        lock(fs.lock(join_path(dir, std::string(format::kLockFileName)), options.lock_timeout,
                     options.holder_note)),
        disk(fs, dir, options.disk),
        warnings(disk.warnings()),
        buffer(SharedBuffer::open_for_writer(fs, dir, options.buffer_capacity, disk.last_offset(),
                                             warnings)) {}

  // append() for both kinds of transaction.
  template <class Transaction>
  void append(const Transaction& transaction);
  // The flush; ends_op marks flush.trim as the end of the op (not so inside an append that
  // had to make room).
  void flush(bool ends_op);

  WriterOptions options;
  std::unique_ptr<FileLock> lock;
  DiskLogWriter disk;
  std::vector<Warning> warnings;
  std::unique_ptr<SharedBuffer> buffer;
};

LogWriter::LogWriter(FileSystem& fs, std::string dir, WriterOptions options) {
  create_log_directory(fs, dir);
  state_ = std::make_unique<State>(fs, dir, options);
}

LogWriter::~LogWriter() = default;

void LogWriter::append(const std::vector<Entry>& transaction) { state_->append(transaction); }
void LogWriter::append(const PackedEntries& transaction) { state_->append(transaction); }
void LogWriter::flush() { state_->flush(true); }
MetaSnapshot LogWriter::snapshot() const { return state_->buffer->snapshot(); }
Offset LogWriter::disk_last() const { return state_->disk.last_offset(); }
const std::vector<Warning>& LogWriter::warnings() const { return state_->warnings; }

template <class Transaction>
void LogWriter::State::append(const Transaction& transaction) {
  if (transaction.empty()) throw_bad_input("a transaction needs at least one entry");
  Offset previous = buffer->snapshot().last_seen;
  for (size_t i = 0; i < transaction.size(); ++i) {
    const EntryView entry = entry_at(transaction, i);
    if (entry.offset <= previous)
      throw_bad_input(
          fmt::format("offset {} is not above {}, the last offset of the log; "
                      "offsets must strictly increase",
                      entry.offset, previous));
    if (entry.bytes.size() > format::kMaxPayloadSize)
      throw_bad_input(fmt::format("the value at offset {} has {} bytes; the limit is {}",
                                  entry.offset, entry.bytes.size(), format::kMaxPayloadSize));
    previous = entry.offset;
  }
  Offset last = entry_at(transaction, transaction.size() - 1).offset;

  bool buffered = buffer->write(transaction);
  if (!buffered) {
    // No room behind the tail: a flush empties the buffer, and then the transaction fits
    // unless it is larger than the whole buffer.
    flush(false);
    buffered = buffer->write(transaction);
  }
  if (!buffered) {
    // Larger than the whole buffer: it goes straight to disk, visible once durable.
    for (size_t i = 0; i < transaction.size(); ++i) disk.append(entry_at(transaction, i));
    disk.sync();
    yield_at(Point::AppendBuffer, [&](PointEvent& e) {
      describe_entries(e, transaction);
      e.note = "larger than the buffer: written to disk";
    });
    buffer->publish_seen_and_persisted(last);
    yield_at(Point::AppendPublish, [&](PointEvent& e) {
      e.last_seen = e.last_persisted = last;
      e.ends_op = true;
    });
    return;
  }

  yield_at(Point::AppendBuffer, [&](PointEvent& e) { describe_entries(e, transaction); });
  buffer->publish_seen(last);
  // One yield point per branch, each with its own constant: a shared one made every append
  // prepare the event's fields before testing for a hook (bench_yield_hook's budget is 2 %).
  if (options.flush_threshold != 0 && buffer->used_bytes() >= options.flush_threshold) {
    yield_at(Point::AppendPublish, [&](PointEvent& e) { e.last_seen = last; });
    flush(true);
  } else {
    yield_at(Point::AppendPublish, [&](PointEvent& e) {
      e.last_seen = last;
      e.ends_op = true;
    });
  }
}

void LogWriter::State::flush(bool ends_op) {
  // Straight from the buffer to the segment's write chunk: a flush copies each value once.
  MovedEntries written;
  buffer->entries_after(disk.last_offset(), [&](const EntryView& entry) {
    disk.append(entry);
    written.add(entry.offset);
  });
  disk.sync();
  yield_at(Point::FlushWrite, [&](PointEvent& e) { written.describe(e); });

  Offset persisted = disk.last_offset();
  bool moved = buffer->snapshot().last_persisted != persisted;
  if (moved) buffer->publish_persisted(persisted);
  yield_at(Point::FlushPublish, [&](PointEvent& e) { e.last_persisted = persisted; });

  // Everything buffered is on disk now. Trim when this flush moved last_persisted, or when the
  // buffer still holds entries that were on disk before it (a writer that stopped between
  // publish and trim); a flush with nothing to trim leaves the generation alone, so the
  // generation counts real trims.
  if (moved || buffer->used_bytes() > 0) buffer->trim(persisted);
  yield_at(Point::FlushTrim, [&](PointEvent& e) {
    e.generation = buffer->snapshot().generation;
    e.ends_op = ends_op;
  });
}

}  // namespace shapelog
