#!/usr/bin/env bash
# `read --last 0` prints nothing (like --limit 0), whether the entries are buffered or on
# disk; with --follow it prints only entries appended after it started. (offset_from_end(0)
# is the last offset; cmd_read.cpp used to start there inclusive and print that entry.)
source "$(dirname "$0")/lib.sh" "$@"

expect_ok sl append -q a b c
expect_ok sl read --limit 0
expect_stdout ""
expect_ok sl read --last 0
expect_stdout ""
expect_ok sl read --last 1 --format raw
expect_stdout c
expect_ok sl flush
expect_ok sl read --last 0
expect_stdout ""
expect_ok sl read --last 0 --to 1_2
expect_stdout ""

step "--last 0 --follow prints only what is appended after it started"
sl read --last 0 --follow --poll-ms 10 --limit 1 --format raw >"$TMP/follow.out" &
follower=$!
track "$follower"
# Until the follower has taken its start, an append may come before it: keep appending.
for ((i = 1; i <= 100; ++i)); do
  expect_ok sl append -q "new$i"
  [[ -s $TMP/follow.out ]] && break
  sleep 0.05
done
wait_until 10 test -s "$TMP/follow.out"
wait "$follower"
[[ $(cat "$TMP/follow.out") == new* ]] || fail "read --last 0 --follow printed: $(cat "$TMP/follow.out")"
