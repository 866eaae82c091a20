// SQLite as a contender: a table log(k INTEGER PRIMARY KEY, v BLOB) in WAL mode; k is the
// entry number, so the rows live in the rowid B-tree in log order. A batch is one
// transaction; durable batches run with synchronous=FULL (the WAL fsync'ed at each commit),
// the others with synchronous=OFF. Writes and reads use two connections, so that a reader
// thread can read while a writer thread appends (WAL readers do not block the writer).
#include <filesystem>
#include <stdexcept>

#include <sqlite3.h>

#include "store.h"

namespace peers {

namespace {

class Connection {
 public:
  explicit Connection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
      fail("open");
  }
  ~Connection() {
    for (sqlite3_stmt* statement : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  // A statement kept for the connection's lifetime.
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
        SQLITE_OK)
      fail(sql);
    statements_.push_back(statement);
    return statement;
  }
  // Steps a statement to its end, passing column 0 of each row to tally (when given).
  void run(sqlite3_stmt* statement, Tally* tally) {
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
      if (tally)
        tally->add({static_cast<const char*>(sqlite3_column_blob(statement, 0)),
                    static_cast<size_t>(sqlite3_column_bytes(statement, 0))});
    if (rc != SQLITE_DONE) fail("step");
    sqlite3_reset(statement);
  }
  [[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("SQLite ") + what + ": " + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& dir)
      : writer_(database_in(dir)), reader_(database_in(dir)) {
    writer_.exec("PRAGMA journal_mode=WAL");  // kept in the file: the reader's mode too
    writer_.exec("PRAGMA synchronous=FULL");
    writer_.exec("CREATE TABLE log(k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
    begin_ = writer_.prepare("BEGIN");
    insert_ = writer_.prepare("INSERT INTO log(k, v) VALUES (?1, ?2)");
    commit_ = writer_.prepare("COMMIT");
    range_ = reader_.prepare("SELECT v FROM log WHERE k >= ?1 ORDER BY k LIMIT ?2");
    scan_ = reader_.prepare("SELECT v FROM log ORDER BY k");
    newest_ =
        reader_.prepare("SELECT v FROM log WHERE k > (SELECT max(k) FROM log) - ?1 ORDER BY k");
  }

  void append(const std::vector<shapelog::Entry>& entries, bool durable) override {
    if (durable != durable_) {
      writer_.exec(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
      durable_ = durable;
    }
    writer_.run(begin_, nullptr);
    for (const shapelog::Entry& entry : entries) {
      sqlite3_bind_int64(insert_, 1, static_cast<sqlite3_int64>(number_of(entry.offset)));
      sqlite3_bind_blob(insert_, 2, entry.bytes.data(), static_cast<int>(entry.bytes.size()),
                        SQLITE_STATIC);
      writer_.run(insert_, nullptr);
    }
    writer_.run(commit_, nullptr);
  }

  void settle() override { writer_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

  void read_range(uint64_t first, size_t count, Tally& tally) override {
    sqlite3_bind_int64(range_, 1, static_cast<sqlite3_int64>(first));
    sqlite3_bind_int64(range_, 2, static_cast<sqlite3_int64>(count));
    reader_.run(range_, &tally);
  }

  void scan(Tally& tally) override { reader_.run(scan_, &tally); }

  void read_newest(size_t count, Tally& tally) override {
    sqlite3_bind_int64(newest_, 1, static_cast<sqlite3_int64>(count));
    reader_.run(newest_, &tally);
  }

 private:
  // The database file's path; creates dir.
  static std::string database_in(const std::string& dir) {
    std::filesystem::create_directories(dir);
    return dir + "/log.db";
  }

  Connection writer_;
  Connection reader_;
  sqlite3_stmt *begin_, *insert_, *commit_, *range_, *scan_, *newest_;
  bool durable_ = true;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& dir) {
  return std::make_unique<SqliteStore>(dir);
}

}  // namespace peers
