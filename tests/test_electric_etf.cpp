// The ETF decoder on the bytes :erlang.term_to_binary writes (OTP 25's ATOM_EXT and OTP 26+'s
// SMALL_ATOM_UTF8_EXT), and its bounds on hostile input.
#include <string>

#include <doctest/doctest.h>

#include "electric/etf_term.h"
#include "electric/log_offset.h"
#include "shapelog/error.h"

using namespace shapelog::electric;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

}  // namespace

TEST_CASE("a LogOffset as OTP 25 writes it, with an LSN past 2^32") {
  // term_to_binary(#{'__struct__' => 'Elixir.Electric.Replication.LogOffset',
  //                  tx_offset => 4294968296, op_offset => 4}) from erl (OTP 25).
  std::string etf = bytes({131, 116, 0, 0, 0, 3, 100, 0, 10}) + "__struct__" + bytes({100, 0, 37}) +
                    "Elixir.Electric.Replication.LogOffset" + bytes({100, 0, 9}) + "op_offset" +
                    bytes({97, 4, 100, 0, 9}) + "tx_offset" + bytes({110, 5, 0, 232, 3, 0, 0, 1});
  DecodedTerm decoded = decode_etf(etf);
  CHECK(decoded.trailing == 0);
  auto offset = log_offset_from_term(decoded.term);
  REQUIRE(offset.has_value());
  CHECK(offset->to_string() == "4294968296_4");
}

TEST_CASE("infinity and before_all offsets, SMALL_ATOM_UTF8 atoms") {
  auto offset_term = [](std::string tx, std::string op) {
    return bytes({131, 116, 0, 0, 0, 3, 119, 10}) + "__struct__" + bytes({119, 37}) +
           "Elixir.Electric.Replication.LogOffset" + bytes({119, 9}) + "tx_offset" + tx +
           bytes({119, 9}) + "op_offset" + op;
  };
  auto inf = log_offset_from_term(
      decode_etf(offset_term(bytes({97, 0}), bytes({119, 8}) + "infinity")).term);
  REQUIRE(inf.has_value());
  CHECK(inf->to_string() == "0_infinity");
  auto before = log_offset_from_term(
      decode_etf(offset_term(bytes({98, 255, 255, 255, 255}), bytes({97, 0}))).term);
  REQUIRE(before.has_value());
  CHECK(before->to_string() == "-1");
}

TEST_CASE("hostile terms are refused with the byte, not a crash or a huge allocation") {
  CHECK_THROWS_WITH_AS(decode_etf(bytes({131, 109, 255, 255, 255, 255})),
                       doctest::Contains("more than the 0 bytes left"), shapelog::Error);
  std::string deep = bytes({131});
  for (int i = 0; i < 100000; ++i) deep += bytes({104, 1});
  deep += bytes({106});
  CHECK_THROWS_WITH_AS(decode_etf(deep), doctest::Contains("nested more than 64 deep"),
                       shapelog::Error);
  CHECK_THROWS_WITH_AS(decode_etf(bytes({131, 116, 127, 0, 0, 0})),
                       doctest::Contains("more than the 0 bytes left"), shapelog::Error);
  CHECK_THROWS_WITH_AS(decode_etf(bytes({0x80, 97, 1})), doctest::Contains("not 0x83"),
                       shapelog::Error);
  CHECK(decode_etf(bytes({131, 97, 1, 0})).trailing == 1);  // binary_to_term/1 ignores it too
}
