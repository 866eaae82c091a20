// shapelog's core against the embedded stores a log could otherwise live in (LevelDB, RocksDB,
// SQLite in WAL mode), on the same workloads, each as a ratio to raw I/O measured in the same
// run: durable appends (batches of 1, 100, 1,000 entries of 100 bytes), 1,000 entries at the
// start / middle / end of logs of each --entries size and a full scan (page cache warm), and
// the newest 1,000 entries read while a writer appends. BENCHMARKS.md ("Peers") has the figures.
//
//   bench_peers [--entries 1000000,10000000] [--quick] [--append-batches 200] [--rounds 3]
//               [--repeat-seconds 0.6] [--newest-seconds 2] [--writer-rate 100000]
//               [--snappy] [--stores shapelog,leveldb,rocksdb,sqlite]
//
// Scratch data goes under $BENCH_TMPDIR (default /tmp): about 130 bytes per entry for each
// store at a time, plus 100 for the raw file (10 M entries: about 2.5 GB at the peak).
#include <cctype>
#include <set>

#include <CLI/CLI.hpp>

#include "bench_common.h"
#include "peers/workloads.h"

using namespace peers;

namespace {

std::vector<Contender> all_contenders(bool snappy) {
  return {
      {"shapelog", open_shapelog},
      {"LevelDB", [snappy](const std::string& dir) { return open_leveldb(dir, snappy); }},
      {"RocksDB", [snappy](const std::string& dir) { return open_rocksdb(dir, snappy); }},
      {"SQLite", open_sqlite},
  };
}
const Contender kRaw = {"raw", open_raw};

std::string cell(const Figure& f) {
  return fmt::format("{:.0f} us ({:.2f}x)", f.seconds * 1e6, f.ratio);
}
std::string cell_ms(const Figure& f) {
  return fmt::format("{:.1f} ms ({:.2f}x)", f.seconds * 1e3, f.ratio);
}
// "LevelDB" -> "leveldb", for RESULT names.
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
// RESULT lines for bench/run.sh, printed after each table.
class Results {
 public:
  void add(const std::string& prefix, const std::string& store, const Figure& f) {
    lines_.emplace_back(fmt::format("{}.{}_us", prefix, lower(store)), f.seconds * 1e6);
    lines_.emplace_back(fmt::format("{}.{}_ratio", prefix, lower(store)), f.ratio);
  }
  void print() {
    for (const auto& [name, value] : lines_) bench::result(name, value);
    lines_.clear();
  }

 private:
  std::vector<std::pair<std::string, double>> lines_;
};

struct Flags {
  std::vector<uint64_t> entries = {1'000'000, 10'000'000};
  bool quick = false;
  size_t append_batches = 200;
  size_t rounds = 3;
  double repeat_seconds = 0.6;
  double newest_seconds = 2;
  double writer_rate = 100'000;
  bool snappy = false;
  std::vector<std::string> stores;
};

void run(const Flags& flags, const std::vector<Contender>& contenders) {
  bench::ScratchDir scratch("peers");
  Results results;
  std::vector<std::string> header = {"workload"};
  for (const Contender& c : contenders) header.push_back(c.name);

  fmt::print(
      "bench_peers: ratio = raw time / store time (1.00x: as fast as the raw I/O, higher "
      "is faster); times are medians\n"
      "durable = synced per batch by every store (LevelDB and RocksDB WriteOptions.sync, "
      "SQLite WAL synchronous=FULL); LevelDB and RocksDB compact (compression: {}), SQLite "
      "keeps a B-tree; shapelog checks a checksum per record, RocksDB per block\n\n",
      flags.snappy ? "Snappy" : "off");
  bench::Table appends(header);
  for (size_t size : {1, 100, 1000}) {
    auto figures =
        durable_append(kRaw, contenders, scratch.path(), size, flags.append_batches, flags.rounds);
    std::vector<std::string> row = {fmt::format("durable append, batches of {}", size)};
    for (size_t i = 0; i < contenders.size(); ++i) {
      row.push_back(cell(figures[i]));
      results.add(fmt::format("peers.append_b{}", size), contenders[i].name, figures[i]);
    }
    appends.row(row);
  }
  fmt::print(
      "durable append of 100-byte entries: time per batch, {} batches x {} rounds, stores "
      "taking turns batch by batch; raw = write()+fdatasync() of the values\n",
      flags.append_batches, flags.rounds);
  appends.print();
  results.print();

  for (uint64_t entries : flags.entries) {
    auto figures = reads(kRaw, contenders, scratch.path(), entries, flags.repeat_seconds);
    bench::Table table(header);
    auto add = [&](const std::string& what, const std::string& key, auto field, auto format) {
      std::vector<std::string> row = {what};
      for (size_t i = 0; i < contenders.size(); ++i) {
        row.push_back(format(figures[i].*field));
        results.add(fmt::format("peers.n{}.{}", entries, key), contenders[i].name,
                    figures[i].*field);
      }
      table.row(row);
    };
    add("1,000 entries at the start", "start", &ReadFigures::start, cell);
    add("1,000 entries in the middle", "middle", &ReadFigures::middle, cell);
    add("1,000 entries at the end", "end", &ReadFigures::end, cell);
    add("full scan", "scan", &ReadFigures::scan, cell_ms);
    std::vector<std::string> load = {"(load, no syncs + settle)"};
    for (const ReadFigures& f : figures)
      load.push_back(fmt::format("{:.1f} s + {:.1f} s", f.load_seconds, f.settle_seconds));
    table.row(load);
    fmt::print(
        "\nreads from a log of {} entries, page cache warm; raw = pread()/read() of a flat "
        "file of the values; settle = flush / compaction / WAL checkpoint\n",
        entries);
    table.print();
    results.print();
  }

  auto newest = newest_while_appending(kRaw, contenders, scratch.path(), flags.newest_seconds,
                                       flags.writer_rate);
  bench::Table table(header);
  std::vector<std::string> read = {"newest 1,000 entries"}, rate = {"(reads/s; written/s)"};
  for (size_t i = 0; i < contenders.size(); ++i) {
    read.push_back(cell(newest[i].read));
    rate.push_back(fmt::format("{}; {}", bench::per_s(newest[i].reads_per_second),
                               bench::per_s(newest[i].written_per_second)));
    results.add("peers.newest", contenders[i].name, newest[i].read);
  }
  table.row(read);
  table.row(rate);
  fmt::print(
      "\nreads of the newest 1,000 entries for {} s while a writer thread appends batches "
      "of 100 without syncs at {} entries/s; raw = fstat()+pread() of the flat file\n",
      flags.newest_seconds, flags.writer_rate);
  table.print();
  results.print();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("bench_peers: shapelog against LevelDB, RocksDB and SQLite, as ratios to raw I/O");
  Flags flags;
  std::vector<std::string> names;
  for (const Contender& c : all_contenders(false)) names.push_back(lower(c.name));
  app.add_option("--entries", flags.entries, "log sizes for the read workloads")
      ->delimiter(',')
      ->check(CLI::Range(uint64_t{2000}, uint64_t{1'000'000'000}));
  app.add_flag("--quick", flags.quick,
               "only the first --entries size, 100 batches per append size, 2 rounds, 1 s of "
               "newest reads");
  app.add_option("--append-batches", flags.append_batches, "durable batches per size and round")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--rounds", flags.rounds, "rounds of the durable appends")
      ->check(CLI::Range(1, 1000));
  app.add_option("--repeat-seconds", flags.repeat_seconds,
                 "each read workload is repeated for this long (and 5 times) per store")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--newest-seconds", flags.newest_seconds, "duration of each newest-entries run")
      ->check(CLI::Range(0.01, 3600.0));
  app.add_option("--writer-rate", flags.writer_rate,
                 "entries per second appended during the newest-entries reads")
      ->check(CLI::Range(100.0, 1e8));
  app.add_flag("--snappy", flags.snappy,
               "LevelDB and RocksDB compress with Snappy, their default (else: no compression)");
  app.add_option("--stores", flags.stores, "stores to compare with the raw I/O (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember(names, CLI::ignore_case));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (flags.quick) {
    flags.entries.resize(1);
    flags.append_batches = std::min<size_t>(flags.append_batches, 100);
    flags.rounds = std::min<size_t>(flags.rounds, 2);
    flags.newest_seconds = std::min(flags.newest_seconds, 1.0);
  }
  std::vector<Contender> contenders;
  std::set<std::string> wanted;
  for (const std::string& s : flags.stores) wanted.insert(lower(s));
  for (const Contender& c : all_contenders(flags.snappy))
    if (wanted.empty() || wanted.count(lower(c.name))) contenders.push_back(c);
  try {
    run(flags, contenders);
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_peers: {}\n", error.what());
    return 1;
  }
  return 0;
}
