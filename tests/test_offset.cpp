#include <doctest/doctest.h>

#include "shapelog/offset.h"

using shapelog::Offset;
using shapelog::parse_offset;

TEST_CASE("offsets parse from TX_OP, bare TX and -1") {
  CHECK(parse_offset("11_0") == Offset(11, 0));
  CHECK(parse_offset("11_3") == Offset(11, 3));
  CHECK(parse_offset("7") == Offset(7, 0));
  CHECK(parse_offset("-1") == Offset::before_all());
  CHECK(parse_offset("18446744073709551615_18446744073709551615") ==
        Offset(UINT64_MAX, UINT64_MAX));
}

TEST_CASE("offsets reject garbage and overflow") {
  for (const char* bad :
       {"", "_", "1_", "_1", "1__2", "1_2_3", "a", "1a", "-2", "-1_0", "+1", " 1", "1 ", "0x10",
        "18446744073709551616", "1_18446744073709551616", "1.5", "--1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_offset(bad).has_value());
  }
}

TEST_CASE("offsets order by tx then op, with before-all below everything") {
  CHECK(Offset::before_all() < Offset(0, 0));
  CHECK(Offset(0, 0) < Offset(0, 1));
  CHECK(Offset(0, 5) < Offset(1, 0));
  CHECK(Offset(2, 0) == Offset(2, 0));
  CHECK(Offset::before_all() == Offset());
  CHECK(Offset(3, 1).to_string() == "3_1");
  CHECK(Offset::before_all().to_string() == "-1");
  CHECK(fmt::format("{}", Offset(10, 2)) == "10_2");
}
