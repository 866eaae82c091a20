#include <doctest/doctest.h>

#include "shapelog/error.h"
#include "shapelog/read_checker.h"

using namespace shapelog;

namespace {

Entry plain(uint64_t tx, uint64_t op) { return offset_entry(Offset(tx, op)); }

// R for the seed race: everything after 10_0 in a log of 10_0, 11_0, 11_1.
const std::vector<Entry> kSeedRange = {plain(11, 0), plain(11, 1)};

}  // namespace

TEST_CASE("check: correct reads are prefixes of R holding all of V") {
  SUBCASE("the full range") {
    ReadVerdict verdict = check_read(kSeedRange, 2, kSeedRange);
    CHECK(verdict.ok);
    CHECK(describe(verdict) == "ok: 2 entries");
  }
  SUBCASE("exactly V") {
    std::vector<Entry> range = {plain(1, 0), plain(1, 1), plain(2, 0)};
    ReadVerdict verdict = check_read(range, 2, std::vector<Entry>{plain(1, 0), plain(1, 1)});
    CHECK(verdict.ok);
  }
  SUBCASE("more than V, still a prefix of R (an entry published during the read)") {
    std::vector<Entry> range = {plain(1, 0), plain(2, 0), plain(3, 0)};
    CHECK(check_read(range, 1, std::vector<Entry>{plain(1, 0), plain(2, 0)}).ok);
  }
  SUBCASE("nothing visible, nothing returned") {
    ReadVerdict verdict = check_read(kSeedRange, 0, {});
    CHECK(verdict.ok);
    CHECK(describe(verdict) == "ok: 0 entries");
  }
  SUBCASE("an empty range") {
    CHECK(check_read({}, 0, {}).ok);
    CHECK(describe(check_read(std::vector<Entry>{plain(1, 0)}, 1,
                              std::vector<Entry>{plain(1, 0)})) == "ok: 1 entry");
  }
}

TEST_CASE("check: races are reported by kind") {
  SUBCASE("the seed race: the buffer read returns nothing") {
    ReadVerdict verdict = check_read(kSeedRange, 2, {});
    CHECK_FALSE(verdict.ok);
    CHECK(verdict.missing == kSeedRange);
    CHECK(verdict.missing_visible == 2);
    CHECK(describe(verdict) == "race: missing 11_0, 11_1 (2 of 2 visible entries)");
  }
  SUBCASE("a partial copy: V cut short") {
    ReadVerdict verdict = check_read(kSeedRange, 2, std::vector<Entry>{plain(11, 0)});
    CHECK(verdict.missing == std::vector<Entry>{plain(11, 1)});
    CHECK(describe(verdict) == "race: missing 11_1 (1 of 2 visible entries)");
  }
  SUBCASE("a gap above V") {
    std::vector<Entry> range = {plain(1, 0), plain(2, 0), plain(3, 0)};
    ReadVerdict verdict = check_read(range, 1, std::vector<Entry>{plain(1, 0), plain(3, 0)});
    CHECK_FALSE(verdict.ok);
    CHECK(verdict.missing == std::vector<Entry>{plain(2, 0)});
    CHECK(verdict.missing_visible == 0);
    CHECK(describe(verdict) == "race: missing 2_0 (0 of 1 visible entry)");
  }
  SUBCASE("a later transaction in place of the range (buffer refilled)") {
    ReadVerdict verdict = check_read(kSeedRange, 2, std::vector<Entry>{plain(12, 0)});
    CHECK(verdict.extra == std::vector<Entry>{plain(12, 0)});
    CHECK(verdict.missing == kSeedRange);
    CHECK(describe(verdict) ==
          "race: missing 11_0, 11_1 (2 of 2 visible entries); extra 12_0 (not in the range)");
  }
  SUBCASE("a duplicate") {
    ReadVerdict verdict =
        check_read(kSeedRange, 2, std::vector<Entry>{plain(11, 0), plain(11, 0), plain(11, 1)});
    CHECK(verdict.duplicated == std::vector<Entry>{plain(11, 0)});
    CHECK(verdict.missing.empty());
    CHECK(describe(verdict) == "race: duplicated 11_0");
  }
  SUBCASE("out of order") {
    ReadVerdict verdict = check_read(kSeedRange, 2, std::vector<Entry>{plain(11, 1), plain(11, 0)});
    CHECK(verdict.out_of_order == std::vector<Entry>{plain(11, 0)});
    CHECK(verdict.missing.empty());
    CHECK(describe(verdict) == "race: out of order 11_0");
  }
  SUBCASE("a wrong value") {
    Entry got{Offset(11, 1), ValueKind::Json, R"({"v":2})"};
    ReadVerdict verdict = check_read(kSeedRange, 2, std::vector<Entry>{plain(11, 0), got});
    REQUIRE(verdict.wrong_value.size() == 1);
    CHECK(verdict.wrong_value[0] == std::pair{plain(11, 1), got});
    CHECK(describe(verdict) == R"(race: wrong value 11_1 (expected "11_1", got {"v":2}))");
  }
  SUBCASE("the same bytes of another kind are a different value") {
    Entry got{Offset(11, 0), ValueKind::Json, "11_0"};
    CHECK_FALSE(check_read(kSeedRange, 1, std::vector<Entry>{got}).ok);
  }
  SUBCASE("long lists and values are cut") {
    std::vector<Entry> range;
    for (uint64_t op = 0; op < 8; ++op) range.push_back(plain(1, op));
    ReadVerdict verdict = check_read(range, 8, {});
    CHECK(describe(verdict) ==
          "race: missing 1_0, 1_1, 1_2, 1_3, 1_4 … and 3 more (8 of 8 visible entries)");
    Entry got{Offset(1, 0), ValueKind::String, std::string(40, 'x')};
    CHECK(describe(check_read(range, 1, std::vector<Entry>{got})) ==
          "race: wrong value 1_0 (expected \"1_0\", got \"" + std::string(30, 'x') + "\"…)");
  }
}

TEST_CASE("check: R and V from a log and a range") {
  std::vector<Entry> log = {plain(10, 0), plain(11, 0), plain(11, 1), plain(12, 0)};
  using Entries = std::vector<Entry>;
  CHECK(entries_in_range(log, ReadRange{}) == log);
  CHECK(entries_in_range(log, ReadRange{Offset(10, 0), false, {}}) ==
        Entries{plain(11, 0), plain(11, 1), plain(12, 0)});
  CHECK(entries_in_range(log, ReadRange{Offset(11, 0), true, Offset(11, 1)}) ==
        Entries{plain(11, 0), plain(11, 1)});
  CHECK(entries_in_range(log, ReadRange{Offset(11, 0), false, Offset(11, 0)}).empty());
  CHECK(entries_in_range(log, ReadRange{Offset(10, 5), true, Offset(11, 0)}) ==
        Entries{plain(11, 0)});
  CHECK(entries_in_range(log, ReadRange{Offset(12, 0), false, {}}).empty());
  // The seed race: 10_0 persisted and 11_0, 11_1 published before the read; 12_0 later.
  ReadRange range{Offset(10, 0), false, {}};
  Entries in_range = entries_in_range(log, range);
  size_t visible = entries_in_range(std::span(log).first(3), range).size();
  CHECK(visible == 2);
  CHECK(check_read(in_range, visible, Entries{plain(11, 0), plain(11, 1)}).ok);
  CHECK(check_read(in_range, visible, Entries{plain(11, 0), plain(11, 1), plain(12, 0)}).ok);
  CHECK_FALSE(check_read(in_range, visible, Entries{plain(11, 0)}).ok);
}

TEST_CASE("check: a read of a log in memory gets the verdict on the whole of R") {
  // 1_0 .. 40_0; the first 10 published when the read began.
  std::vector<Entry> log;
  for (uint64_t tx = 1; tx <= 40; ++tx) log.push_back(plain(tx, 0));
  const size_t published = 10;
  using Entries = std::vector<Entry>;
  const Entries results[] = {
      {},
      {plain(3, 0), plain(4, 0)},                             // V cut short
      {plain(3, 0), plain(4, 0), plain(5, 0), plain(9, 0)},   // gap inside V
      {plain(3, 0), plain(4, 0), plain(5, 0), plain(35, 0)},  // gap far above V
      {plain(35, 0), plain(3, 0)},                            // out of order
      {plain(3, 0), plain(3, 0)},                             // duplicated
      {plain(3, 0), plain(41, 0), plain(1, 0)},               // extra, above and below R
      {Entry{Offset(30, 0), ValueKind::Json, "1"}},           // wrong value
  };
  for (ReadRange range :
       {ReadRange{Offset(2, 0), false, {}}, ReadRange{Offset(3, 0), true, Offset(36, 0)}}) {
    Entries in_range = entries_in_range(log, range);
    size_t visible = entries_in_range(std::span(log).first(published), range).size();
    for (const Entries& result : results) {
      CAPTURE(describe_range(range));
      ReadVerdict whole = check_read(in_range, visible, result);
      ReadVerdict cut = check_read_in_log(log, published, range, result);
      CHECK(cut.ok == whole.ok);
      CHECK(cut.returned == whole.returned);
      CHECK(cut.visible == whole.visible);
      CHECK(cut.missing == whole.missing);
      CHECK(cut.missing_visible == whole.missing_visible);
      CHECK(cut.extra == whole.extra);
      CHECK(cut.duplicated == whole.duplicated);
      CHECK(cut.out_of_order == whole.out_of_order);
      CHECK(cut.wrong_value == whole.wrong_value);
    }
  }
}

TEST_CASE("check: the verdict looks at V and up to the highest offset returned") {
  auto count_up_to = [](Offset offset) { return static_cast<size_t>(offset.tx()); };
  CHECK(verdict_extent(3, std::vector<Entry>{}, count_up_to) == 3);
  CHECK(verdict_extent(3, std::vector<Entry>{plain(1, 0), plain(2, 0)}, count_up_to) == 3);
  CHECK(verdict_extent(3, std::vector<Entry>{plain(9, 0), plain(2, 0)}, count_up_to) == 9);
}

TEST_CASE("check: broken preconditions are internal errors") {
  CHECK_THROWS_AS(check_read(kSeedRange, 3, {}), Error);
  CHECK_THROWS_AS(check_read(std::vector<Entry>{plain(2, 0), plain(1, 0)}, 0, {}), Error);
}
