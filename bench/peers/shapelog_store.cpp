// shapelog's core as a contender: one LogWriter and one LogReader (generation strategy) on a
// log directory. The writer never flushes by itself (flush_threshold 0) until its 64 MiB
// buffer is full, so a durable append is append() + flush(), and a read of the newest
// entries while a writer appends is served from the buffer.
#include <cstdint>
#include <memory>
#include <optional>

#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/posix_file_system.h"
#include "store.h"

namespace peers {

namespace {

using namespace shapelog;

WriterOptions writer_options() {
  WriterOptions options;
  options.flush_threshold = 0;
  options.buffer_capacity = 64 << 20;
  return options;
}

class ShapelogStore final : public Store {
 public:
  explicit ShapelogStore(const std::string& dir)
      : writer_(fs_, dir, writer_options()), reader_(fs_, dir) {}

  void append(const std::vector<Entry>& entries, bool durable) override {
    writer_.append(entries);
    if (durable) writer_.flush();
  }

  void settle() override { writer_.flush(); }

  void read_range(uint64_t first, size_t count, Tally& tally) override {
    read(reader_, {offset_of(first), true, offset_of(first + count - 1)}, count, tally);
  }

  void scan(Tally& tally) override { read(reader_, {}, UINT64_MAX, tally); }

  // The end comes from the reader's snapshot (last_seen), the count back from it from the
  // layout, as the peers do from their last key. (LogReader::offset_from_end would find it
  // without the layout, but it copies every buffered entry to count them.) The LogReader is
  // used by one thread at a time: here the reader thread, while the writer thread appends.
  void read_newest(size_t count, Tally& tally) override {
    const uint64_t end = number_of(reader_.snapshot().last_seen) + 1;
    const uint64_t first = end > count ? end - count : 0;
    read(reader_, {offset_of(first), true, std::nullopt}, count, tally);
  }

 private:
  static void read(LogReader& reader, const ReadRange& range, uint64_t limit, Tally& tally) {
    uint64_t left = limit;
    reader.read(range, ReadStrategy::Generation, [&](const EntryView& entry) {
      tally.add(entry.bytes);
      return --left > 0;
    });
  }

  PosixFileSystem fs_;
  LogWriter writer_;
  LogReader reader_;
};

}  // namespace

std::unique_ptr<Store> open_shapelog(const std::string& dir) {
  return std::make_unique<ShapelogStore>(dir);
}

}  // namespace peers
