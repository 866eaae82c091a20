// bench_peers' contenders behind one interface: shapelog's core, LevelDB, RocksDB, SQLite and
// the raw-I/O baseline each implement Store, so every workload runs the same code on all.
//
// The log layout is the same everywhere: entry number n (0, 1, ...) has the shapelog offset
// (n / 1000 + 1, n % 1000) and a 100-byte value. A batch is any run of consecutive entries
// (one shapelog transaction, one WriteBatch, one SQLite transaction). LevelDB and RocksDB key
// an entry by its offset in big-endian (tx, then op, 8 bytes each), so key order is log order;
// SQLite keys it by n as the INTEGER PRIMARY KEY (its rowid B-tree, the cheapest key it has).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shapelog/entry.h"

namespace peers {

inline constexpr uint64_t kTxEntries = 1000;
inline constexpr size_t kValueBytes = 100;

inline shapelog::Offset offset_of(uint64_t n) { return {n / kTxEntries + 1, n % kTxEntries}; }
inline uint64_t number_of(shapelog::Offset offset) {
  return (offset.tx() - 1) * kTxEntries + offset.op();
}

// The 16-byte big-endian key of an offset, and back.
std::string key_of(shapelog::Offset offset);
shapelog::Offset offset_of_key(std::string_view key);

// Entries n .. n+count-1 (bench_common.h's 100-byte values).
std::vector<shapelog::Entry> batch(uint64_t first, size_t count);

// What a read saw: every contender passes each value it reads to add(), so that each one
// touches the bytes it returns and the compiler cannot drop a read.
struct Tally {
  uint64_t entries = 0;
  uint64_t check = 0;
  void add(std::string_view value) {
    ++entries;
    check += value.size() + static_cast<unsigned char>(value[value.size() / 2]);
  }
};

class Store {
 public:
  virtual ~Store() = default;
  // Appends a batch of consecutive entries after the last one. durable: on disk (fsync or
  // fdatasync) when this returns; otherwise the store's own non-durable write.
  virtual void append(const std::vector<shapelog::Entry>& entries, bool durable) = 0;
  // After a bulk load: everything on disk and in the store's resting shape for reads
  // (shapelog flushes, LevelDB and RocksDB flush their memtables and compact the whole key
  // range, SQLite checkpoints its WAL into the database file).
  virtual void settle() = 0;
  // Entries first .. first+count-1, in order.
  virtual void read_range(uint64_t first, size_t count, Tally& tally) = 0;
  // Every entry, in order.
  virtual void scan(Tally& tally) = 0;
  // The newest `count` entries, in order, found from the store's own idea of its end; called
  // from another thread than append() (while a writer appends).
  virtual void read_newest(size_t count, Tally& tally) = 0;
};

// Each opens (creating) a store in the directory dir, which must not exist yet. snappy:
// LevelDB and RocksDB compress their blocks with Snappy (their default); otherwise they
// store the values as they are, as the other stores do.
std::unique_ptr<Store> open_raw(const std::string& dir);
std::unique_ptr<Store> open_shapelog(const std::string& dir);
std::unique_ptr<Store> open_leveldb(const std::string& dir, bool snappy);
std::unique_ptr<Store> open_rocksdb(const std::string& dir, bool snappy);
std::unique_ptr<Store> open_sqlite(const std::string& dir);

}  // namespace peers
