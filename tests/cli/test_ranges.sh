#!/usr/bin/env bash
# read ranges: --from (inclusive), --after (exclusive), --to (inclusive), --last, --limit,
# -1 (before all), bare N (= N_0); over a log that is part on disk, part in the buffer, and
# then all on disk: the answers must not change.
source "$(dirname "$0")/lib.sh" "$@"

# expect_offsets "A B C" READ_ARGS...: read exits 0 and prints exactly these offsets.
expect_offsets() {
  local want=$1; shift
  expect_ok sl read "$@"
  local got
  got=$(awk -F'"' '{printf "%s%s", (NR > 1 ? " " : ""), $4}' "$OUT")
  [[ $got == "$want" ]] || fail "read $* printed offsets [$got], expected [$want]"
}

expect_ok sl append -q a b c      # 1_0 1_1 1_2
expect_ok sl append -q d          # 2_0
expect_ok sl flush
expect_ok sl append -q e f        # 3_0 3_1   (buffered)
expect_ok sl append -q --tx 5 g h # 5_0 5_1   (buffered)

check_ranges() {
  local all="1_0 1_1 1_2 2_0 3_0 3_1 5_0 5_1"
  expect_offsets "$all"
  expect_offsets "$all" --from -1
  expect_offsets "$all" --after -1
  expect_offsets "$all" --from 1_0
  expect_offsets "$all" --from 1
  expect_offsets "1_1 1_2 2_0 3_0 3_1 5_0 5_1" --after 1
  expect_offsets "1_1 1_2 2_0 3_0 3_1 5_0 5_1" --from 1_1
  expect_offsets "2_0 3_0 3_1 5_0 5_1" --after 1_2
  expect_offsets "2_0 3_0 3_1 5_0 5_1" --from 2
  expect_offsets "3_0 3_1 5_0 5_1" --after 2
  expect_offsets "3_1 5_0 5_1" --after 3
  expect_offsets "5_0 5_1" --from 4          # between transactions
  expect_offsets "5_0 5_1" --after 3_1
  expect_offsets "5_0 5_1" --after 4_7
  expect_offsets "5_1" --from 5_1
  expect_offsets "" --after 5_1              # the end: nothing, exit 0
  expect_offsets "" --from 6
  expect_offsets "1_0 1_1 1_2 2_0" --to 2    # bare N = N_0 also for --to
  expect_offsets "1_0 1_1 1_2 2_0 3_0" --to 3
  expect_offsets "1_0 1_1 1_2 2_0 3_0 3_1" --to 3_1
  expect_offsets "1_0 1_1 1_2 2_0 3_0 3_1" --to 4
  expect_offsets "$all" --to 99
  expect_offsets "" --to -1
  expect_offsets "1_1 1_2 2_0 3_0" --from 1_1 --to 3
  expect_offsets "2_0 3_0 3_1" --after 1_2 --to 3_1
  expect_offsets "2_0" --from 2 --to 2
  expect_offsets "" --after 2 --to 2          # empty, but not an error
  expect_offsets "3_1 5_0 5_1" --last 3
  expect_offsets "5_1" --last 1
  expect_offsets "$all" --last 8
  expect_offsets "$all" --last 100
  # --last 0 should print nothing: see test_bug_last_zero.sh.
  expect_offsets "3_1 5_0" --last 3 --to 5
  expect_offsets "3_1" --last 3 --limit 1
  expect_offsets "1_0 1_1" --limit 2
  expect_offsets "" --limit 0
  expect_offsets "$all" --limit 100
  expect_offsets "2_0 3_0" --from 2 --limit 2
  expect_offsets "1_2 2_0" --after 1_1 --to 5 --limit 2
  expect_offsets "1_2 2_0" --after 1_1 --to 2 --limit 5
}

step "ranges with 1_0..2_0 on disk and 3_0..5_1 in the buffer"
expect_ok sl stat
expect_json_field last_persisted '"2_0"'
expect_json_field buffered_entries 4
check_ranges

step "ranges with everything on disk"
expect_ok sl flush
expect_ok sl stat
expect_json_field last_persisted '"5_1"'
expect_json_field buffered_entries 0
check_ranges

step "ranges on a larger log (the index is used for --from in the middle)"
seq 1 3000 | awk '{printf "%s-%0200d\n", $1, 0}' | expect_ok sl append -q   # tx 6: 3000 entries
expect_ok sl flush
expect_offsets "6_1500 6_1501 6_1502" --from 6_1500 --limit 3
expect_offsets "6_2998 6_2999" --last 2
expect_ok sl read --from 6_1234 --to 6_1234
expect_stdout "{\"offset\":\"6_1234\",\"value\":\"1235-$(printf '%0200d' 0)\"}"

step "conflicting range flags are usage errors (exit 2)"
expect_exit 2 sl read --from 1 --after 1
expect_stderr_contains "--from" "--after"
expect_exit 2 sl read --last 2 --from 1
expect_stderr_contains "--last"
expect_exit 2 sl read --last 2 --after 1
# (--limit -1 and --last -1 are accepted and wrap around: see test_bug_unsigned_flags.sh.)
expect_exit 2 sl read --limit abc
expect_stderr_contains "--limit"
expect_exit 2 sl read --last abc
expect_stderr_contains "--last"
expect_exit 2 sl read --format xml
expect_stderr_contains "--format"
expect_exit 2 sl read --strategy bogus
expect_stderr_contains "--strategy" "bogus"
