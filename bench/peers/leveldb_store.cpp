// LevelDB as a contender: one DB with its default options, except that compression is off
// unless bench_peers --snappy (off, every store holds the same bytes; Snappy, its default,
// costs time to decompress on every read). A batch is one WriteBatch; a durable one is
// written with WriteOptions.sync (its log file fdatasync'ed). Reads are iterators: Seek and
// Next; the newest entries are found from SeekToLast's key.
#include <memory>
#include <stdexcept>

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include "store.h"

namespace peers {

namespace {

void check(const leveldb::Status& status, const char* what) {
  if (!status.ok())
    throw std::runtime_error(std::string("LevelDB ") + what + ": " + status.ToString());
}

std::string_view view(const leveldb::Slice& slice) { return {slice.data(), slice.size()}; }

class LevelDbStore final : public Store {
 public:
  LevelDbStore(const std::string& dir, bool snappy) {
    leveldb::Options options;
    options.create_if_missing = true;
    options.error_if_exists = true;
    options.compression = snappy ? leveldb::kSnappyCompression : leveldb::kNoCompression;
    leveldb::DB* db = nullptr;
    check(leveldb::DB::Open(options, dir, &db), "open");
    db_.reset(db);
  }

  void append(const std::vector<shapelog::Entry>& entries, bool durable) override {
    leveldb::WriteBatch batch;
    for (const shapelog::Entry& entry : entries) batch.Put(key_of(entry.offset), entry.bytes);
    leveldb::WriteOptions options;
    options.sync = durable;
    check(db_->Write(options, &batch), "write");
  }

  // CompactRange writes the memtable out first, then merges every level.
  void settle() override { db_->CompactRange(nullptr, nullptr); }

  void read_range(uint64_t first, size_t count, Tally& tally) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator({}));
    read_from(*it, first, count, tally);
  }

  void scan(Tally& tally) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator({}));
    for (it->SeekToFirst(); it->Valid(); it->Next()) tally.add(view(it->value()));
    check(it->status(), "scan");
  }

  void read_newest(size_t count, Tally& tally) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator({}));
    it->SeekToLast();
    if (!it->Valid()) return;
    const uint64_t end = number_of(offset_of_key(view(it->key()))) + 1;
    read_from(*it, end > count ? end - count : 0, count, tally);
  }

 private:
  static void read_from(leveldb::Iterator& it, uint64_t first, size_t count, Tally& tally) {
    size_t left = count;
    for (it.Seek(key_of(offset_of(first))); left > 0 && it.Valid(); it.Next(), --left)
      tally.add(view(it.value()));
    check(it.status(), "read");
  }

  std::unique_ptr<leveldb::DB> db_;
};

}  // namespace

std::unique_ptr<Store> open_leveldb(const std::string& dir, bool snappy) {
  return std::make_unique<LevelDbStore>(dir, snappy);
}

}  // namespace peers
