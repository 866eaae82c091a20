#include "log/log_writer.h"

#include <fmt/format.h>

#include "common/error.h"
#include "sched/yield_point.h"
#include "segment/log_directory.h"
#include "segment/record_format.h"

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

LogWriter::LogWriter(FileSystem& fs, std::string dir, WriterOptions options)
    : fs_(fs), dir_(std::move(dir)), options_(options) {
  create_log_directory(fs_, dir_);
  lock_ = fs_.lock(join_path(dir_, std::string(format::kLockFileName)), options_.lock_timeout,
                   options_.holder_note);
  disk_ = std::make_unique<DiskLogWriter>(fs_, dir_, options_.disk);
  warnings_ = disk_->warnings();
  buffer_ = SharedBuffer::open_for_writer(fs_, dir_, options_.buffer_capacity, disk_->last_offset(),
                                          warnings_);
}

template <class Transaction>
void LogWriter::append_entries(const Transaction& transaction) {
  if (transaction.empty()) throw_bad_input("a transaction needs at least one entry");
  Offset previous = buffer_->snapshot().last_seen;
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

  bool buffered = buffer_->write(transaction);
  if (!buffered) {
    // No room behind the tail: a flush empties the buffer, and then the transaction fits
    // unless it is larger than the whole buffer.
    flush_steps(false);
    buffered = buffer_->write(transaction);
  }
  if (!buffered) {
    // Larger than the whole buffer: it goes straight to disk, visible once durable.
    for (size_t i = 0; i < transaction.size(); ++i) disk_->append(entry_at(transaction, i));
    disk_->sync();
    yield_at(Point::AppendBuffer, [&](PointEvent& e) {
      describe_entries(e, transaction);
      e.note = "larger than the buffer: written to disk";
    });
    buffer_->publish_seen_and_persisted(last);
    yield_at(Point::AppendPublish, [&](PointEvent& e) {
      e.last_seen = e.last_persisted = last;
      e.ends_op = true;
    });
    return;
  }

  yield_at(Point::AppendBuffer, [&](PointEvent& e) { describe_entries(e, transaction); });
  buffer_->publish_seen(last);
  // One yield point per branch, each with its own constant: a shared one made every append
  // prepare the event's fields before testing for a hook (bench_yield_hook's budget is 2 %).
  if (options_.flush_threshold != 0 && buffer_->used_bytes() >= options_.flush_threshold) {
    yield_at(Point::AppendPublish, [&](PointEvent& e) { e.last_seen = last; });
    flush_steps(true);
  } else {
    yield_at(Point::AppendPublish, [&](PointEvent& e) {
      e.last_seen = last;
      e.ends_op = true;
    });
  }
}

template void LogWriter::append_entries(const std::vector<Entry>& transaction);
template void LogWriter::append_entries(const PackedEntries& transaction);

void LogWriter::flush() { flush_steps(true); }

void LogWriter::flush_steps(bool ends_op) {
  // Straight from the buffer to the segment's write chunk: a flush copies each value once.
  MovedEntries written;
  buffer_->entries_after(disk_->last_offset(), [&](const EntryView& entry) {
    disk_->append(entry);
    written.add(entry.offset);
  });
  disk_->sync();
  yield_at(Point::FlushWrite, [&](PointEvent& e) { written.describe(e); });

  Offset persisted = disk_->last_offset();
  bool moved = buffer_->snapshot().last_persisted != persisted;
  if (moved) buffer_->publish_persisted(persisted);
  yield_at(Point::FlushPublish, [&](PointEvent& e) { e.last_persisted = persisted; });

  // Everything buffered is on disk now. Trim when this flush moved last_persisted, or when the
  // buffer still holds entries that were on disk before it (a writer that stopped between
  // publish and trim); a flush with nothing to trim leaves the generation alone, so the
  // generation counts real trims.
  if (moved || buffer_->used_bytes() > 0) buffer_->trim(persisted);
  yield_at(Point::FlushTrim, [&](PointEvent& e) {
    e.generation = buffer_->snapshot().generation;
    e.ends_op = ends_op;
  });
}

}  // namespace shapelog
