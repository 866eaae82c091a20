// The shared in-memory buffer of a log directory: appended transactions wait here until a
// flush writes them to the segments. It lives in a memory-mapped file ("buffer") that every
// process using the directory maps, so a `shapelog append` in one shell is visible to a
// `shapelog read` in another. It survives the death of any process, not a reboot.
//
// Layout (buffer_format.h): a 4 KiB header of metadata words and the ring's index, then a
// data area of `capacity` bytes used as a ring of 8-byte words, addressed by a logical byte
// position that only grows. head..tail holds the published, not yet trimmed entries.
//
// Concurrency, with exactly one writer (it holds the log's lock) and any number of readers:
// - The metadata (last_seen, last_persisted, generation) is a seqlock: the writer makes the
//   sequence odd, stores the fields, makes it even; a reader retries until it read an even,
//   unchanged sequence. Readers never block the writer.
// - Before the writer stores into the data area it raises `reserved` (the logical end it
//   may write) and issues a release fence. A reader copies the entries of a read from
//   position p on with relaxed atomic loads, then issues one acquire fence and loads
//   `reserved`: if reserved > p + capacity, the writer may have overwritten some of them and
//   the copy is dropped (reported as interrupted). So every entry a reader returns is whole:
//   the fence pattern that makes seqlocks legal C++ (Boehm, 2012). One check after the walk
//   covers every load before it, because reserved only grows.
// - Publication order: data, `reserved` < tail (release) < last_seen, then the index slots
//   that name the new entries (buffer_index.h: a slot never names an unpublished position).
//   Trim: generation is bumped before head moves (release), so a reader that sees the new
//   head sees the new generation.
// - The header's magic says whether the index is kept ("SLBUF002") or the buffer was last
//   written by a version without it ("SLBUF001", read without the index).
//
// The hot paths (the seqlock, the reader's copy: shared_buffer.cpp; the writer's stores and
// trims: shared_buffer_write.cpp) are apart from opening and reconciling the mapping
// (shared_buffer_open.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buffer/buffer_format.h"
#include "buffer/buffer_index.h"
#include "common/byte_buffer.h"
#include "shapelog/entry.h"
#include "shapelog/file_system.h"
#include "shapelog/meta_snapshot.h"
#include "shapelog/packed_entries.h"
#include "shapelog/read_range.h"
#include "shapelog/warning.h"

namespace shapelog {

// What a buffer copy found, so strategies can tell whether it is complete. The entries are
// copied out of the ring as they are encoded there (buffer_format.h: three words, then the
// payload padded to whole words), one after the other into one block that a reader reuses
// from read to read: a copy costs no allocation or object per entry, and hands out views.
class BufferCopy {
 public:
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // The first and the last entry's offsets; only for a copy that is not empty.
  Offset first() const { return first_; }
  Offset last() const { return last_; }

  // Passes the entries to visit in order, each valid during its call; stops when visit
  // returns false, and then returns false.
  template <class Visit>
  bool for_each(Visit&& visit) const {
    const std::byte* at = words_.bytes().data();
    for (size_t i = 0; i < count_; ++i) {
      uint64_t words[buffer_format::kEntryWords];
      std::memcpy(words, at, sizeof words);
      const buffer_format::EntryHead head = buffer_format::entry_head(words[0]);
      const EntryView entry(Offset(words[1], words[2]), static_cast<ValueKind>(head.kind),
                            {reinterpret_cast<const char*>(at + sizeof words), head.length});
      if (!visit(entry)) return false;
      at += head.footprint;
    }
    return true;
  }
  // The entries as values (tests, and callers that keep them).
  std::vector<Entry> entries() const;

  // Empties the copy, keeping its memory.
  void clear();

  // The walk met an entry the writer was overwriting and stopped there.
  bool interrupted = false;
  // The walk met some entry at or below the upper bound. When it met none, the entries the
  // snapshot promised were trimmed before the copy began (or the range holds no entries).
  bool saw_upper_or_below = false;

  // The copy stopped at its size limit (SharedBuffer::copy): the range's entries after last()
  // were not looked at. Complete still means complete up to last().
  bool capped = false;

  // Complete: every entry of the range that was buffered at the snapshot was copied.
  bool complete() const { return !interrupted && saw_upper_or_below; }

 private:
  friend class SharedBuffer;
  ByteBuffer words_;
  size_t count_ = 0;
  Offset first_, last_;
  // Where last() lies in the ring of `source_`, the buffer that made the copy, and the
  // buffer's generation then: a next copy into this one that continues after last(), while
  // the generation is the same (no trim, no reset), starts its walk there (SharedBuffer::copy).
  uint64_t last_position_ = 0;
  uint64_t last_generation_ = 0;
  const void* source_ = nullptr;
};

class SharedBuffer {
 public:
  // Maps the buffer read-only for a reader; nullptr when there is none, or it is not
  // initialized, or it is from an earlier boot (the disk log is then the whole truth). Such a
  // buffer's writer methods must not be called.
  static std::unique_ptr<SharedBuffer> open_for_reader(FileSystem& fs, const std::string& dir);

  // Maps the buffer for the writer, creating it with `capacity` bytes of data if needed,
  // and reconciles it with the disk log, whose last entry is disk_last: a buffer from an
  // earlier boot or a damaged one is reset; entries a crashed flush already wrote are
  // published as persisted and trimmed. Notes what it did in warnings.
  static std::unique_ptr<SharedBuffer> open_for_writer(FileSystem& fs, const std::string& dir,
                                                       uint64_t capacity, Offset disk_last,
                                                       std::vector<Warning>& warnings);

  ~SharedBuffer();

  MetaSnapshot snapshot() const;
  uint64_t capacity() const { return capacity_; }
  uint64_t used_bytes() const;  // bytes between head and tail
  uint64_t buffered_entries() const;

  // Reader: copies the buffered entries inside range with offset <= upper, in order, each
  // whole. The walk starts at the current head, or, in a buffer that holds more than two of
  // the index's stretches, at the last indexed entry at or below the range's start, or, when
  // the range starts after the last entry `into` holds from an earlier copy of this buffer
  // (a large buffer read in pieces), at that entry; it stops
  // at the tail, at an entry above upper, or at an entry the writer overwrote meanwhile.
  // The copy goes into `into`, whose memory is reused. It stops before an entry that would
  // take it past max_bytes (but copies at least one), and is then `capped`.
  void copy(const ReadRange& range, Offset upper, BufferCopy& into,
            uint64_t max_bytes = UINT64_MAX) const;
  BufferCopy copy(const ReadRange& range, Offset upper) const {
    BufferCopy result;
    copy(range, upper, result);
    return result;
  }

  // The offsets of the index's entries still buffered, the latest first (none in a buffer
  // without the index): where a reader that wants only the newest entries can start a range
  // (LogReader::offset_from_end).
  std::vector<Offset> indexed_offsets() const;

  // --- followers (read --follow) ---
  // Changes at every publish: load it before a read, and a wait_for_publish() after a read
  // that found nothing new sleeps until a later publish.
  uint64_t publications() const { return header_->sequence.load(std::memory_order_acquire); }
  // Maps the header writable as well, if this process may, so that the writer knows to wake
  // it (a reader maps the buffer read-only); without it, a wait just sleeps its timeout.
  void attach_follower(FileSystem& fs, const std::string& dir);
  // Sleeps until publications() is no longer `seen`, at most `timeout`; may return early.
  void wait_for_publish(uint64_t seen, std::chrono::milliseconds timeout) const;

  // --- writer side (the caller holds the writer lock) ---
  // Bytes an entry takes in the data area.
  static uint64_t entry_footprint(const EntryView& entry);
  // Writes entries behind the tail if they fit there now, and returns whether they did; they
  // are not visible until publish_seen(). Nothing is written when they do not fit.
  [[nodiscard]] bool write(const std::vector<Entry>& entries) { return write_entries(entries); }
  [[nodiscard]] bool write(const PackedEntries& entries) { return write_entries(entries); }
  // Makes the written entries visible: tail, then last_seen.
  void publish_seen(Offset last_seen);
  // Publishes last_seen and last_persisted together (a transaction written straight to disk).
  void publish_seen_and_persisted(Offset offset);
  void publish_persisted(Offset last_persisted);
  // Drops every entry up to `through` from the buffer and bumps the generation.
  void trim(Offset through);
  // Passes the buffered entries above `after` to visit, in order: for the writer (a flush),
  // whose entries nothing overwrites meanwhile. A view is valid only during its call.
  void entries_after(Offset after, const std::function<void(const EntryView&)>& visit) const;

 private:
  // write() for both kinds of transaction (defined and instantiated in the .cpp).
  template <class Entries>
  bool write_entries(const Entries& entries);
  SharedBuffer(std::unique_ptr<SharedRegion> region);
  void initialize(uint64_t boot_hash, Offset disk_last, uint64_t generation);
  std::string damage_reason(uint64_t boot_hash) const;
  // The metadata fields as they stand, without the seqlock: for snapshot(), inside it, and
  // for a writer that found the sequence left odd by a dead one.
  MetaSnapshot meta_fields() const;
  MetaSnapshot snapshot_or_stale() const;
  void write_meta(const MetaSnapshot& meta);
  // After a publish: wakes the followers asleep in wait_for_publish(), if there are any.
  void wake_followers();
  bool intact(uint64_t position) const;
  // Where copy() starts its walk for entries from `start` on; `resume` is the last entry of the
  // previous copy, if any.
  uint64_t walk_start(Offset start, uint64_t head, uint64_t tail,
                      const std::optional<BufferIndex::Start>& resume) const;
  // True when the entry at `start.position`, inside [head, tail), has start's offset.
  bool names_entry(const BufferIndex::Start& start, uint64_t head, uint64_t tail) const;

  std::unique_ptr<SharedRegion> region_;
  buffer_format::Header* header_;
  buffer_format::Word* words_;
  uint64_t capacity_ = 0;
  BufferIndex index_;
  uint64_t pending_tail_ = 0;  // writer: the end of written, unpublished entries
  std::unique_ptr<SharedRegion> follower_region_;  // follower: the header, writable
};

}  // namespace shapelog
