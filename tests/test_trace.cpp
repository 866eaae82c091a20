#include <algorithm>
#include <filesystem>

#include <doctest/doctest.h>

#include "shapelog/error.h"
#include "shapelog/trace_file.h"
#include "trace/closest_name.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"

using namespace shapelog;

namespace {

const std::filesystem::path kTraces = std::filesystem::path(SHAPELOG_TESTDATA_DIR) / "traces";

// The message of the BadInput error parse_trace gives for `text` (fails the test otherwise).
std::string rejection(std::string_view text, const std::string& source = "t.json") {
  try {
    parse_trace(text, source);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::BadInput);
    return error.what();
  }
  FAIL("parse_trace accepted: " << text);
  return "";
}

// A trace around `fields` (JSON members, no surrounding braces).
std::string with_format(std::string_view fields) {
  return std::string(R"({"format": "shapelog-trace/1", )") + std::string(fields) + "}";
}

Entry plain(uint64_t tx, uint64_t op) { return offset_entry(Offset(tx, op)); }

const char* const kExample = R"({
  "format": "shapelog-trace/1",
  "name": "ets-read-write-race",
  "initial": {"persisted": ["10_0"], "buffered": ["11_0", "11_1"]},
  "actors": [
    {"name": "writer", "ops": [{"op": "flush"}]},
    {"name": "reader", "ops": [{"op": "read", "after": "10_0"}]}
  ],
  "schedule": [
    {"actor": "reader", "until": "read.snapshot"},
    {"actor": "writer", "until": "done"}
  ],
  "expect": {"naive": "race", "generation": "ok"}
}
)";

}  // namespace

TEST_CASE("trace: the example of the trace format parses") {
  Trace trace = parse_trace(kExample, "example.json");
  CHECK(trace.name == "ets-read-write-race");
  CHECK(trace.description.empty());
  CHECK(trace.initial_persisted == std::vector<Entry>{plain(10, 0)});
  CHECK(trace.initial_buffered == std::vector<Entry>{plain(11, 0), plain(11, 1)});
  REQUIRE(trace.actors.size() == 2);
  CHECK(trace.actors[0].name == "writer");
  CHECK(trace.actors[0].ops == std::vector<Op>{FlushOp{}});
  CHECK(trace.actors[1].name == "reader");
  CHECK(trace.actors[1].ops == std::vector<Op>{ReadOp{Offset(10, 0), false, std::nullopt}});
  REQUIRE(trace.schedule.has_value());
  CHECK(*trace.schedule ==
        std::vector<ScheduleElement>{{1, ScheduleElement::Kind::Until, 1, Point::ReadSnapshot},
                                     {0, ScheduleElement::Kind::Done, 1, Point::AppendBuffer}});
  CHECK(trace.expect == std::map<ReadStrategy, Outcome>{{ReadStrategy::Naive, Outcome::Race},
                                                        {ReadStrategy::Generation, Outcome::Ok}});
  CHECK(trace.options == TraceOptions{});
  CHECK(trace.extensions == nlohmann::json::object());
  CHECK(trace.writer_index() == 0u);
}

TEST_CASE("trace: short forms and defaults") {
  SUBCASE("entries: bare offsets, bare TX, objects with and without a value") {
    Trace trace = parse_trace(with_format(R"(
      "initial": {"persisted": ["1", "1_1", {"offset": "2"}],
                  "buffered": [{"offset": "3_0", "value": {"b": [1, 2.5, null], "a": "x"}},
                               {"offset": "3_1", "value": "3_1"}]},
      "actors": [{"name": "r", "ops": [{"op": "read"}]}])"),
                              "t.json");
    CHECK(trace.initial_persisted == std::vector<Entry>{plain(1, 0), plain(1, 1), plain(2, 0)});
    REQUIRE(trace.initial_buffered.size() == 2);
    // Values are compact JSON with sorted keys; a string value is JSON, not the default.
    CHECK(trace.initial_buffered[0] ==
          Entry{Offset(3, 0), ValueKind::Json, R"({"a":"x","b":[1,2.5,null]})"});
    CHECK(trace.initial_buffered[1] == Entry{Offset(3, 1), ValueKind::Json, R"("3_1")"});
  }
  SUBCASE("reads: default after -1, after, from, to") {
    Trace trace = parse_trace(with_format(R"("actors": [{"name": "r", "ops": [
      {"op": "read"}, {"op": "read", "after": "5"}, {"op": "read", "from": "5_1", "to": "7_2"},
      {"op": "read", "after": "4_0", "to": "4_0"}, {"op": "read", "from": "-1", "to": "-1"}]}])"),
                              "t.json");
    CHECK(trace.actors[0].ops ==
          std::vector<Op>{ReadOp{}, ReadOp{Offset(5, 0), false, std::nullopt},
                          ReadOp{Offset(5, 1), true, Offset(7, 2)},
                          ReadOp{Offset(4, 0), false, Offset(4, 0)},
                          ReadOp{Offset::before_all(), true, Offset::before_all()}});
    CHECK_FALSE(trace.schedule.has_value());
    CHECK_FALSE(trace.writer_index().has_value());
  }
  SUBCASE("schedule: bare name, {actor}, steps, until, done") {
    Trace trace = parse_trace(with_format(R"(
      "actors": [{"name": "w", "ops": [{"op": "flush"}]}, {"name": "r.1", "ops": []}],
      "schedule": ["r.1", {"actor": "w"}, {"actor": "w", "steps": 3},
                   {"actor": "r.1", "until": "flush.trim"}, {"actor": "w", "until": "done"}])"),
                              "t.json");
    using Kind = ScheduleElement::Kind;
    CHECK(*trace.schedule == std::vector<ScheduleElement>{{1, Kind::Steps, 1, Point::AppendBuffer},
                                                          {0, Kind::Steps, 1, Point::AppendBuffer},
                                                          {0, Kind::Steps, 3, Point::AppendBuffer},
                                                          {1, Kind::Until, 1, Point::FlushTrim},
                                                          {0, Kind::Done, 1, Point::AppendBuffer}});
  }
  SUBCASE("an empty schedule is kept apart from no schedule") {
    Trace trace =
        parse_trace(with_format(R"("actors": [{"name": "r", "ops": []}], "schedule": [])"), "t");
    CHECK(trace.schedule == std::vector<ScheduleElement>{});
  }
  SUBCASE("x- fields are accepted everywhere; top-level ones are kept") {
    Trace trace = parse_trace(with_format(R"(
      "x-recorded-by": {"tool": "shapelog", "version": 1},
      "initial": {"x-note": 1, "persisted": [{"offset": "1_0", "x-why": "seed"}]},
      "actors": [{"name": "r", "x-role": "reader", "ops": [{"op": "read", "x-n": 1}]}],
      "schedule": [{"actor": "r", "x-comment": "go"}],
      "expect": {"naive": "ok", "x-later": "race"},
      "options": {"buffer_capacity": 65536, "storage": "disk", "x-seed": 7})"),
                              "t.json");
    CHECK(trace.extensions ==
          nlohmann::json{{"x-recorded-by", {{"tool", "shapelog"}, {"version", 1}}}});
    CHECK(trace.options == TraceOptions{65536, StorageKind::Disk, {{"x-seed", 7}}});
    CHECK(trace.expect == std::map<ReadStrategy, Outcome>{{ReadStrategy::Naive, Outcome::Ok}});
    CHECK(trace.initial_persisted == std::vector<Entry>{plain(1, 0)});
  }
  SUBCASE("a UTF-8 byte order mark and non-ASCII text are fine") {
    Trace trace = parse_trace("\xEF\xBB\xBF" + with_format(R"("name": "café ✓",
      "actors": [{"name": "r", "ops": []}])"),
                              "t.json");
    CHECK(trace.name == "café ✓");
  }
}

TEST_CASE("trace: count expands after the last transaction so far") {
  SUBCASE("on an empty log the first transaction is 1, as shapelog append numbers it") {
    Trace trace = parse_trace(
        with_format(R"("actors": [{"name": "w", "ops": [{"op": "append", "count": 2}]}])"), "t");
    CHECK(trace.actors[0].ops ==
          std::vector<Op>{AppendOp{{plain(1, 0), plain(1, 1)}, uint64_t{2}}});
  }
  SUBCASE("after the initial state and earlier appends of the writer") {
    Trace trace = parse_trace(with_format(R"(
      "initial": {"persisted": ["10_0"], "buffered": ["11_0", "11_1"]},
      "actors": [{"name": "r", "ops": [{"op": "read"}]},
                 {"name": "w", "ops": [{"op": "append", "count": 1}, {"op": "flush"},
                                       {"op": "append", "entries": ["20_3"]},
                                       {"op": "append", "count": 3}]}])"),
                              "t");
    CHECK(trace.writer_index() == 1u);
    const auto& ops = trace.actors[1].ops;
    CHECK(ops[0] == Op{AppendOp{{plain(12, 0)}, uint64_t{1}}});
    CHECK(ops[2] == Op{AppendOp{{plain(20, 3)}, std::nullopt}});
    CHECK(ops[3] == Op{AppendOp{{plain(21, 0), plain(21, 1), plain(21, 2)}, uint64_t{3}}});
  }
  SUBCASE("up to the entry limit") {
    Trace trace = parse_trace(with_format(R"("initial": {"buffered": ["5_0"]},
      "actors": [{"name": "w", "ops": [{"op": "append", "count": 999999}]}])"),
                              "t");
    const auto& append = std::get<AppendOp>(trace.actors[0].ops[0]);
    CHECK(append.entries.size() == 999999);
    CHECK(append.entries.back() == plain(6, 999998));
  }
}

TEST_CASE("trace: write then parse gives the same trace") {
  auto round_trip = [](const std::string& text) {
    Trace trace = parse_trace(text, "in.json");
    std::string written = write_trace(trace);
    CAPTURE(written);
    Trace again = parse_trace(written, "written.json");
    CHECK(again == trace);
    CHECK(write_trace(again) == written);
    return written;
  };
  SUBCASE("the example, in short forms, in the order of the format's tables") {
    CHECK(round_trip(kExample) == R"({
  "format": "shapelog-trace/1",
  "name": "ets-read-write-race",
  "initial": {"persisted": ["10_0"], "buffered": ["11_0", "11_1"]},
  "actors": [
    {"name": "writer", "ops": [{"op": "flush"}]},
    {"name": "reader", "ops": [{"op": "read", "after": "10_0"}]}
  ],
  "schedule": [{"actor": "reader", "until": "read.snapshot"}, {"actor": "writer", "until": "done"}],
  "expect": {"naive": "race", "generation": "ok"}
}
)");
  }
  SUBCASE("every form") {
    std::string written = round_trip(with_format(R"(
      "x-b": [1], "description": "all \"forms\"\nhere", "x-a": null,
      "options": {"storage": "memory", "buffer_capacity": 4096, "x-o": {"k": true}},
      "expect": {"generation": "ok", "naive": "race", "fallback": "ok", "recheck": "race"},
      "initial": {"buffered": ["2", {"offset": "3_0", "value": [1, {"z": "é", "a": -0.5}]},
                              {"offset": "3_1"}, {"offset": "3_2", "value": "3_2"}]},
      "actors": [{"name": "r", "ops": [{"op": "read"}, {"op": "read", "from": "-1"},
                                       {"op": "read", "after": "3_0", "to": "9"}]},
                 {"name": "w", "ops": [{"op": "append", "count": 2},
                                       {"op": "append", "entries": ["7_0", {"offset": "7_1", "value": 12}]},
                                       {"op": "flush"}]}],
      "schedule": ["w", {"actor": "r"}, {"actor": "w", "steps": 1}, {"actor": "r", "steps": 2},
                   {"actor": "r", "until": "read.validate"}, {"actor": "w", "until": "done"}],
      "name": "everything")"));
    CHECK(written.find(R"("w",
    "r",
    "w",
    {"actor": "r", "steps": 2},)") != std::string::npos);
    CHECK(written.find(R"({"op": "append", "count": 2})") != std::string::npos);
    CHECK(written.find(R"("buffered": [
      "2_0",
      {"offset": "3_0", "value": [1, {"a": -0.5, "z": "é"}]},
      "3_1",
      {"offset": "3_2", "value": "3_2"}
    ])") != std::string::npos);
    CHECK(
        written.find(
            R"("expect": {"naive": "race", "recheck": "race", "fallback": "ok", "generation": "ok"})") !=
        std::string::npos);
    // x- fields come last, in name order.
    CHECK(written.find(R"("x-a": null,)") > written.find(R"("options")"));
    CHECK(written.find(R"("x-b": [1])") > written.find(R"("x-a")"));
  }
  SUBCASE("long values are split over lines") {
    std::string fields = R"("actors": [{"name": "w", "ops": [{"op": "append", "entries": [)";
    for (int i = 0; i < 40; ++i) fields += fmt::format("{}\"1_{}\"", i == 0 ? "" : ", ", i);
    fields += "]}]}]";
    std::string written = round_trip(with_format(fields));
    CHECK(written.find("\n            \"1_39\"\n") != std::string::npos);
    for (size_t start = 0, end; (end = written.find('\n', start)) != std::string::npos;
         start = end + 1)
      CHECK(end - start <= 100);
  }
  SUBCASE("the traces in testdata") {
    for (const char* name : {"seed-race.json", "recheck-gap.json"}) {
      CAPTURE(name);
      round_trip(read_trace_text(kTraces / name));
    }
  }
}

TEST_CASE("trace: the seed race trace expects what the format's strategies imply") {
  Trace trace = parse_trace(read_trace_text(kTraces / "seed-race.json"), "seed-race.json");
  CHECK(trace.expect == std::map<ReadStrategy, Outcome>{{ReadStrategy::Naive, Outcome::Race},
                                                        {ReadStrategy::Recheck, Outcome::Ok},
                                                        {ReadStrategy::Fallback, Outcome::Ok},
                                                        {ReadStrategy::Generation, Outcome::Ok}});
  Trace gap = parse_trace(read_trace_text(kTraces / "recheck-gap.json"), "recheck-gap.json");
  CHECK(gap.expect.at(ReadStrategy::Recheck) == Outcome::Race);
}

TEST_CASE("trace: the writer refuses what no trace text can say") {
  Trace trace;
  trace.actors.push_back(
      Actor{"w", {AppendOp{{Entry{Offset(1, 0), ValueKind::String, "hi"}}, {}}}});
  CHECK_THROWS_AS(write_trace(trace), Error);
  trace.actors[0].ops = {AppendOp{{Entry{Offset(1, 0), ValueKind::Json, "{ \"a\": 1 }"}}, {}}};
  CHECK_THROWS_WITH_AS(write_trace(trace), doctest::Contains("not compact JSON"), Error);
  trace.actors[0].ops = {AppendOp{{Entry{Offset(1, 0), ValueKind::Json, R"({"a":1})"}}, {}}};
  CHECK_NOTHROW(write_trace(trace));
  trace.extensions["format"] = "other";
  CHECK_THROWS_WITH_AS(write_trace(trace), doctest::Contains("x-"), Error);
  trace.extensions = nlohmann::json::object();
  trace.options.extensions["storage"] = "disk";
  CHECK_THROWS_WITH_AS(write_trace(trace), doctest::Contains("option \"storage\""), Error);
  trace.options.extensions = nlohmann::json::object();
  trace.name = "\xff";
  CHECK_THROWS_AS(write_trace(trace), Error);
  trace.name = "w";
  trace.schedule =
      std::vector<ScheduleElement>{{3, ScheduleElement::Kind::Done, 1, Point::ReadDisk}};
  CHECK_THROWS_AS(write_trace(trace), Error);
}

TEST_CASE("trace: rejections name the file and the place") {
  struct Case {
    const char* what;
    std::string text;
    std::vector<std::string> expected;  // each must appear in the message
  };
  const std::string reader = R"({"name": "r", "ops": [{"op": "read"}]})";
  const std::vector<Case> cases = {
      {"empty", "", {"t.json: ", "empty"}},
      {"only whitespace", " \n\t", {"t.json: ", "empty"}},
      {"invalid UTF-8",
       "{\"format\": \"shapelog-trace/1\",\n \"name\": \"a\xff\"}",
       {"t.json:2:12: ", "invalid UTF-8", "0xff"}},
      {"surrogate in UTF-8", "{\"name\": \"\xed\xa0\x80\"}", {"t.json:1:11: ", "invalid UTF-8"}},
      {"UTF-8 cut short at the end", "{\"name\": \"\xe2\x82", {"t.json:1:11: ", "invalid UTF-8"}},
      {"invalid JSON",
       "{\n  \"format\": \"shapelog-trace/1\",\n  \"actors\": [,]\n}",
       {"t.json:3:14: ", "invalid JSON"}},
      {"truncated JSON",
       "{\"format\": \"shapelog-trace/1\", \"act",
       {"t.json:1:36: ", "invalid JSON", "truncated"}},
      {"trailing garbage", "{}\n}", {"t.json:2:1: ", "invalid JSON"}},
      {"number out of range", "{\"x-n\": 1e999}", {"t.json:1:", "invalid JSON", "1e999"}},
      {"top level not an object",
       "[1]",
       {"t.json: the top level: ", "expected a JSON object", "an array"}},
      {"missing format",
       R"({"actors": []})",
       {"t.json: the top level: ", "missing field \"format\""}},
      {"wrong format",
       R"({"format": "shapelog-trace/2"})",
       {"t.json: format: ", "\"shapelog-trace/1\"", "\"shapelog-trace/2\""}},
      {"format not a string", R"({"format": 1})", {"format: ", "the number 1"}},
      {"duplicate key",
       with_format(R"("actors": [], "actors": [])"),
       {"t.json: actors: ", "duplicate field"}},
      {"duplicate nested key",
       with_format(R"("actors": [{"name": "a", "name": "b"}])"),
       {"actors[0].name: ", "duplicate field"}},
      {"too deep",
       with_format(R"("x-deep": )" + std::string(600, '[') + std::string(600, ']')),
       {"x-deep", "nested more than 512"}},
      {"unknown top-level field",
       with_format(R"("actors": [], "schedul": [])"),
       {"t.json: schedul: ", "unknown field \"schedul\"", "did you mean \"schedule\"?"}},
      {"unknown field without a suggestion",
       with_format(R"("actors": [], "zzzzzz": [])"),
       {"zzzzzz: ", "unknown field"}},
      {"unknown op field",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "append", "entires": []}]}])"),
       {"actors[0].ops[0].entires: ", "did you mean \"entries\"?"}},
      {"unknown actor field",
       with_format(R"("actors": [{"name": "w", "opps": []}])"),
       {"actors[0].opps: ", "did you mean \"ops\"?"}},
      {"unknown entry field",
       with_format(R"("initial": {"persisted": [{"offset": "1", "valeu": 1}]}, "actors": [])"),
       {"initial.persisted[0].valeu: ", "did you mean \"value\"?"}},
      {"unknown initial field",
       with_format(R"("initial": {"persistd": []}, "actors": [])"),
       {"initial.persistd: ", "\"persisted\""}},
      {"odd key is quoted",
       with_format(R"("actors": [], "my field": 1)"),
       {"[\"my field\"]: ", "unknown field"}},
      {"name not a string",
       with_format(R"("name": 5, "actors": [])"),
       {"t.json: name: ", "expected a string, found the number 5"}},
      {"actors missing",
       with_format(R"("name": "x")"),
       {"the top level: ", "missing field \"actors\""}},
      {"actors not an array",
       with_format(R"("actors": {"r": 1})"),
       {"actors: ", "expected an array of actors, found an object"}},
      {"actors empty", with_format(R"("actors": [])"), {"actors: ", "at least one actor"}},
      {"actor not an object",
       with_format(R"("actors": ["r"])"),
       {"actors[0]: ", "expected an object, found the string \"r\""}},
      {"actor name missing",
       with_format(R"("actors": [{"ops": []}])"),
       {"actors[0]: ", "missing field \"name\""}},
      {"ops missing",
       with_format(R"("actors": [{"name": "r"}])"),
       {"actors[0]: ", "missing field \"ops\""}},
      {"bad actor name",
       with_format(R"("actors": [{"name": "a b", "ops": []}])"),
       {"actors[0].name: ", "\"a b\"", "A-Z a-z 0-9 _ . -"}},
      {"empty actor name",
       with_format(R"("actors": [{"name": "", "ops": []}])"),
       {"actors[0].name: "}},
      {"duplicate actor",
       with_format(R"("actors": [)" + reader + ", " + reader + "]"),
       {"actors[1].name: ", "duplicate actor name \"r\"", "actors[0]"}},
      {"two writers",
       with_format(
           R"("actors": [{"name": "w1", "ops": [{"op": "flush"}]}, {"name": "r", "ops": [{"op": "read"}]}, {"name": "w2", "ops": [{"op": "read"}, {"op": "append", "count": 1}]}])"),
       {"actors[2].ops[1]: ", "actors[0] (\"w1\")", "actors[2] (\"w2\")", "at most one actor"}},
      {"op not an object",
       with_format(R"("actors": [{"name": "r", "ops": ["read"]}])"),
       {"actors[0].ops[0]: ", "expected an object"}},
      {"op missing",
       with_format(R"("actors": [{"name": "r", "ops": [{"after": "1"}]}])"),
       {"actors[0].ops[0]: ", "missing field \"op\""}},
      {"unknown op",
       with_format(R"("actors": [{"name": "r", "ops": [{"op": "raed"}]}])"),
       {"actors[0].ops[0].op: ", "unknown op \"raed\"", "did you mean \"read\"?",
        "append, flush, read"}},
      {"flush with a field",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "flush", "count": 1}]}])"),
       {"actors[0].ops[0].count: ", "unknown field"}},
      {"after and from",
       with_format(
           R"("actors": [{"name": "r", "ops": [{"op": "read", "after": "1", "from": "2"}]}])"),
       {"actors[0].ops[0]: ", "\"after\"", "\"from\"", "not both"}},
      {"bad offset",
       with_format(R"("actors": [)" + reader +
                   R"(, {"name": "r2", "ops": [{"op": "read", "after": "1_x"}]}])"),
       {"actors[1].ops[0].after: ", "\"1_x\" is not an offset", std::string(kOffsetSyntax)}},
      {"offset as a number",
       with_format(R"("actors": [{"name": "r", "ops": [{"op": "read", "from": 12}]}])"),
       {"actors[0].ops[0].from: ", "found the number 12", "\"12\""}},
      {"bad to",
       with_format(R"("actors": [{"name": "r", "ops": [{"op": "read", "to": "x"}]}])"),
       {"actors[0].ops[0].to: ", "not an offset"}},
      {"to before after",
       with_format(
           R"("actors": [{"name": "r", "ops": [{"op": "read", "after": "11_0", "to": "10_9"}]}])"),
       {"actors[0].ops[0].to: ", "10_9", "\"after\" 11_0"}},
      {"to before from",
       with_format(
           R"("actors": [{"name": "r", "ops": [{"op": "read", "from": "11_0", "to": "10_9"}]}])"),
       {"actors[0].ops[0].to: ", "\"from\" 11_0"}},
      {"to -1 after an offset",
       with_format(
           R"("actors": [{"name": "r", "ops": [{"op": "read", "after": "0", "to": "-1"}]}])"),
       {"actors[0].ops[0].to: "}},
      {"entry not a string or object",
       with_format(R"("initial": {"persisted": [5]}, "actors": [])"),
       {"initial.persisted[0]: ", "expected an entry (an offset string", "found the number 5"}},
      {"offset of another type",
       with_format(R"("actors": [{"name": "r", "ops": [{"op": "read", "to": 1.5}]}])"),
       {"actors[0].ops[0].to: ", "expected an offset string, found the number 1.5"}},
      {"entry offset -1",
       with_format(R"("initial": {"buffered": ["-1"]}, "actors": [])"),
       {"initial.buffered[0]: ", "-1 is not an entry's offset"}},
      {"entry object without offset",
       with_format(R"("initial": {"buffered": [{"value": 1}]}, "actors": [])"),
       {"initial.buffered[0]: ", "missing field \"offset\""}},
      {"bad entry offset in object",
       with_format(R"("initial": {"buffered": [{"offset": "a"}]}, "actors": [])"),
       {"initial.buffered[0].offset: ", "not an offset"}},
      {"decreasing within persisted",
       with_format(R"("initial": {"persisted": ["2_0", "1_5"]}, "actors": [])"),
       {"initial.persisted[1]: ", "1_5", "2_0 (initial.persisted[0])"}},
      {"equal offsets",
       with_format(R"("initial": {"persisted": ["2_0"], "buffered": ["2"]}, "actors": [])"),
       {"initial.buffered[0]: ", "2_0 (initial.persisted[0])"}},
      {"append not above the initial state",
       with_format(
           R"("initial": {"buffered": ["11_0", "11_1"]}, "actors": [{"name": "w", "ops": [{"op": "append", "entries": ["11_1"]}]}])"),
       {"actors[0].ops[0].entries[0]: ", "11_1 (initial.buffered[1])"}},
      {"append not above a count",
       with_format(
           R"("actors": [{"name": "w", "ops": [{"op": "append", "count": 3}, {"op": "append", "entries": ["1_2"]}]}])"),
       {"actors[0].ops[1].entries[0]: ", "1_2 (actors[0].ops[0].count)"}},
      {"empty append",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "append", "entries": []}]}])"),
       {"actors[0].ops[0].entries: ", "at least one entry"}},
      {"append without entries or count",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "append"}]}])"),
       {"actors[0].ops[0]: ", "\"entries\"", "\"count\""}},
      {"append with entries and count",
       with_format(
           R"("actors": [{"name": "w", "ops": [{"op": "append", "count": 1, "entries": ["1"]}]}])"),
       {"actors[0].ops[0]: ", "not both"}},
      {"count 0",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "append", "count": 0}]}])"),
       {"actors[0].ops[0].count: ", "at least 1"}},
      {"count negative",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "append", "count": -2}]}])"),
       {"actors[0].ops[0].count: ", "the number -2"}},
      {"count fractional",
       with_format(R"("actors": [{"name": "w", "ops": [{"op": "append", "count": 1.5}]}])"),
       {"actors[0].ops[0].count: ", "the number 1.5"}},
      {"count huge",
       with_format(
           R"("actors": [{"name": "w", "ops": [{"op": "append", "count": 18446744073709551615}]}])"),
       {"actors[0].ops[0].count: ", "too large", "1000000"}},
      {"count over the total",
       with_format(
           R"("initial": {"persisted": ["1", "2"]}, "actors": [{"name": "w", "ops": [{"op": "append", "count": 999999}]}])"),
       {"actors[0].ops[0].count: ", "999998 are left"}},
      {"count after the last transaction",
       with_format(
           R"("initial": {"persisted": ["18446744073709551615_0"]}, "actors": [{"name": "w", "ops": [{"op": "append", "count": 1}]}])"),
       {"actors[0].ops[0].count: ", "no transaction can follow"}},
      {"schedule not an array",
       with_format(R"("actors": [)" + reader + R"(], "schedule": "r")"),
       {"schedule: ", "expected an array"}},
      {"unknown actor in schedule",
       with_format(R"("actors": [)" + reader + R"(], "schedule": ["r", "q"])"),
       {"schedule[1]: ", "unknown actor \"q\"", "(actors: r)"}},
      {"unknown actor in schedule object",
       with_format(R"("actors": [)" + reader + R"(], "schedule": [{"actor": "rr"}])"),
       {"schedule[0].actor: ", "unknown actor \"rr\""}},
      {"schedule element without actor",
       with_format(R"("actors": [)" + reader + R"(], "schedule": [{"steps": 2}])"),
       {"schedule[0]: ", "missing field \"actor\""}},
      {"schedule element of another type",
       with_format(R"("actors": [)" + reader + R"(], "schedule": [1])"),
       {"schedule[0]: ", "expected an actor name"}},
      {"steps 0",
       with_format(R"("actors": [)" + reader + R"(], "schedule": [{"actor": "r", "steps": 0}])"),
       {"schedule[0].steps: ", "between 1 and 1000000000"}},
      {"steps huge",
       with_format(R"("actors": [)" + reader +
                   R"(], "schedule": [{"actor": "r", "steps": 1000000001}])"),
       {"schedule[0].steps: ", "between 1 and"}},
      {"steps not a number",
       with_format(R"("actors": [)" + reader + R"(], "schedule": [{"actor": "r", "steps": "2"}])"),
       {"schedule[0].steps: ", "the string \"2\""}},
      {"steps and until",
       with_format(R"("actors": [)" + reader +
                   R"(], "schedule": [{"actor": "r", "steps": 2, "until": "done"}])"),
       {"schedule[0]: ", "not both"}},
      {"bad until",
       with_format(R"("actors": [)" + reader +
                   R"(], "schedule": [{"actor": "r", "until": "read.snapshop"}])"),
       {"schedule[0].until: ", "unknown point \"read.snapshop\"", "did you mean \"read.snapshot\"?",
        "append.buffer, append.publish", "read.validate, done"}},
      {"until not a string",
       with_format(R"("actors": [)" + reader + R"(], "schedule": [{"actor": "r", "until": 3}])"),
       {"schedule[0].until: ", "expected a string"}},
      {"expect not an object",
       with_format(R"("actors": [)" + reader + R"(], "expect": ["naive"])"),
       {"expect: ", "expected an object"}},
      {"bad expect key",
       with_format(R"("actors": [)" + reader + R"(], "expect": {"navie": "race"})"),
       {"expect.navie: ", "unknown read strategy", "did you mean \"naive\"?",
        "naive, recheck, fallback, generation"}},
      {"bad expect value",
       with_format(R"("actors": [)" + reader + R"(], "expect": {"naive": "Race"})"),
       {"expect.naive: ", "\"race\" or \"ok\"", "the string \"Race\""}},
      {"options not an object",
       with_format(R"("actors": [)" + reader + R"(], "options": 4096)"),
       {"options: ", "expected an object, found the number 4096"}},
      {"unknown option",
       with_format(R"("actors": [)" + reader + R"(], "options": {"storag": "disk"})"),
       {"options.storag: ", "did you mean \"storage\"?"}},
      {"buffer capacity too small",
       with_format(R"("actors": [)" + reader + R"(], "options": {"buffer_capacity": 4095})"),
       {"options.buffer_capacity: ", "between 4096 and 1073741824"}},
      {"buffer capacity too large",
       with_format(R"("actors": [)" + reader + R"(], "options": {"buffer_capacity": 1073741825})"),
       {"options.buffer_capacity: "}},
      {"buffer capacity not an integer",
       with_format(R"("actors": [)" + reader + R"(], "options": {"buffer_capacity": "64k"})"),
       {"options.buffer_capacity: ", "the string \"64k\""}},
      {"bad storage",
       with_format(R"("actors": [)" + reader + R"(], "options": {"storage": "tape"})"),
       {"options.storage: ", "\"memory\" or \"disk\""}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::string message = rejection(c.text);
    CAPTURE(message);
    CHECK(message.starts_with("t.json"));
    CHECK(message.find('\n') == std::string::npos);
    for (const std::string& expected : c.expected) {
      CAPTURE(expected);
      CHECK(message.find(expected) != std::string::npos);
    }
  }
}

TEST_CASE("trace: every file in testdata/traces/bad is rejected") {
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(kTraces / "bad"))
    if (item.path().extension() == ".json") files.push_back(item.path());
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 20);
  for (const auto& path : files) {
    std::string name = path.filename().string();
    CAPTURE(name);
    std::string message = rejection(read_trace_text(path), name);
    CAPTURE(message);
    CHECK(message.starts_with(name + ":"));
    CHECK(message.size() > name.size() + 10);
  }
}

TEST_CASE("trace: closest names for did-you-mean") {
  constexpr std::array<std::string_view, 3> known = {"entries", "count", "op"};
  CHECK(closest_name("entires", known) == "entries");
  CHECK(closest_name("cont", known) == "count");
  CHECK(closest_name("o", known) == "op");
  CHECK_FALSE(closest_name("to", known).has_value());
  CHECK_FALSE(closest_name("something", known).has_value());
  CHECK_FALSE(closest_name(std::string(10000, 'e'), known).has_value());
}
