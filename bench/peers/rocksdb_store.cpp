// RocksDB as a contender, set up like LevelDB (leveldb_store.cpp): one DB with its default
// options but compression off unless --snappy; WriteBatch, WriteOptions.sync for durable batches
// (its WAL fdatasync'ed); iterators for reads.
#include <memory>
#include <stdexcept>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "store.h"

namespace peers {

namespace {

void check(const rocksdb::Status& status, const char* what) {
  if (!status.ok())
    throw std::runtime_error(std::string("RocksDB ") + what + ": " + status.ToString());
}

std::string_view view(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

class RocksDbStore final : public Store {
 public:
  RocksDbStore(const std::string& dir, bool snappy) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.error_if_exists = true;
    options.compression = snappy ? rocksdb::kSnappyCompression : rocksdb::kNoCompression;
    rocksdb::DB* db = nullptr;
    check(rocksdb::DB::Open(options, dir, &db), "open");
    db_.reset(db);
  }

  void append(const std::vector<shapelog::Entry>& entries, bool durable) override {
    rocksdb::WriteBatch batch;
    for (const shapelog::Entry& entry : entries) batch.Put(key_of(entry.offset), entry.bytes);
    rocksdb::WriteOptions options;
    options.sync = durable;
    check(db_->Write(options, &batch), "write");
  }

  void settle() override {
    check(db_->Flush(rocksdb::FlushOptions()), "flush");
    check(db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr), "compact");
  }

  void read_range(uint64_t first, size_t count, Tally& tally) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    read_from(*it, first, count, tally);
  }

  void scan(Tally& tally) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) tally.add(view(it->value()));
    check(it->status(), "scan");
  }

  void read_newest(size_t count, Tally& tally) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    it->SeekToLast();
    if (!it->Valid()) return;
    const uint64_t end = number_of(offset_of_key(view(it->key()))) + 1;
    read_from(*it, end > count ? end - count : 0, count, tally);
  }

 private:
  static void read_from(rocksdb::Iterator& it, uint64_t first, size_t count, Tally& tally) {
    size_t left = count;
    for (it.Seek(key_of(offset_of(first))); left > 0 && it.Valid(); it.Next(), --left)
      tally.add(view(it.value()));
    check(it.status(), "read");
  }

  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace

std::unique_ptr<Store> open_rocksdb(const std::string& dir, bool snappy) {
  return std::make_unique<RocksDbStore>(dir, snappy);
}

}  // namespace peers
