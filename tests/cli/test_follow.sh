#!/usr/bin/env bash
# read --follow: prints the existing entries, then new ones as they are published (buffered
# or flushed), and exits 0 without a message on SIGINT, SIGTERM, or when --to/--limit is
# reached, or when its reader goes away; SIGBUS (a fault under a mapped segment) is exit 4.
source "$(dirname "$0")/lib.sh" "$@"

lines_in() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }
has_lines() { (($(lines_in "$1") >= $2)); }

expect_ok sl append -q one two
expect_ok sl flush

for signal in INT TERM; do
  step "--follow, then SIG$signal"
  rm -f "$TMP/follow.out" "$TMP/follow.err"
  "$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 >"$TMP/follow.out" 2>"$TMP/follow.err" &
  follower=$!; track $follower
  wait_until 10 has_lines "$TMP/follow.out" 2
  n=$(lines_in "$TMP/follow.out")
  expect_ok sl append -q "new-$signal-buffered"
  wait_until 10 has_lines "$TMP/follow.out" $((n + 1))
  expect_ok sl append -q --flush "new-$signal-flushed" "second-$signal"
  wait_until 10 has_lines "$TMP/follow.out" $((n + 3))
  expect_ok sl append -q "$signal-a"
  expect_ok sl flush
  expect_ok sl append -q "$signal-b"
  wait_until 10 has_lines "$TMP/follow.out" $((n + 5))
  kill -s "$signal" $follower
  status=0; wait $follower || status=$?
  LAST_CMD="shapelog read --follow (then SIG$signal)"
  [[ $status -eq 0 ]] || fail "read --follow exited $status on SIG$signal, expected 0"
  [[ ! -s $TMP/follow.err ]] || { cat "$TMP/follow.err" >&2; fail "read --follow printed a message"; }
  # What it printed is exactly the log, in order, without duplicates.
  expect_ok sl read
  cmp "$OUT" "$TMP/follow.out" || fail "read --follow printed something other than the log"
done

step "--follow --after N starts there"
"$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 --after 3 --format raw >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!; track $follower
expect_ok sl append -q tail-entry
wait_until 10 grep -q tail-entry "$TMP/follow.out"
kill -INT $follower; wait $follower || fail "read --follow --after exited $?"
expect_ok sl read --after 3 --format raw
cmp "$OUT" "$TMP/follow.out" || fail "read --follow --after printed something else"

step "--follow --to OFF stops by itself once OFF is printed"
last_tx=$(sl stat | grep -oE '"last_seen":"[0-9]+' | grep -oE '[0-9]+$')
target=$((last_tx + 2))
"$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 --after "$last_tx" --to "${target}_0" >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!; track $follower
expect_ok sl append -q before-target
expect_ok sl append -q at-target after-target-same-tx
wait_until 10 bash -c "! kill -0 $follower 2>/dev/null"
wait $follower || fail "read --follow --to exited $?"
[[ $(grep -c offset "$TMP/follow.out") -eq 2 ]] || fail "--follow --to printed $(wc -l <"$TMP/follow.out") lines, expected 2"
grep -q '"at-target"' "$TMP/follow.out" || fail "--follow --to did not print the --to entry"

step "--follow --limit N stops by itself after N entries"
"$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 --last 1 --limit 3 >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!; track $follower
wait_until 10 has_lines "$TMP/follow.out" 1   # the --last 1 entry, so l1..l3 come after it
expect_ok sl append -q l1 l2 l3
wait_until 10 bash -c "! kill -0 $follower 2>/dev/null"
wait $follower || fail "read --follow --limit exited $?"
[[ $(wc -l <"$TMP/follow.out") -eq 3 ]] || fail "--follow --limit 3 printed $(wc -l <"$TMP/follow.out") lines"

step "--follow | head -2: exits 0 once it writes after head is gone"
mkfifo "$TMP/fifo"
head -2 <"$TMP/fifo" >"$TMP/follow.out" &
reader_of_pipe=$!; track $reader_of_pipe
"$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 --last 1 >"$TMP/fifo" 2>"$TMP/follow.err" &
follower=$!; track $follower
# Keep appending until head has its two lines and is gone, then until read --follow notices.
for ((i = 0; i < 200; i++)); do
  kill -0 $follower 2>/dev/null || break
  expect_ok sl append -q "p$i"
  sleep 0.05
done
status=0; wait $follower || status=$?
LAST_CMD="shapelog read --follow | head -2"
[[ $status -eq 0 ]] || fail "read --follow | head -2: read exited $status"
[[ ! -s $TMP/follow.err ]] || { cat "$TMP/follow.err" >&2; fail "read --follow | head -2 printed a message"; }
wait $reader_of_pipe || true
[[ $(wc -l <"$TMP/follow.out") -eq 2 ]] || fail "head -2 got $(wc -l <"$TMP/follow.out") lines"

step "--follow is woken by the writer's publish, not by its --poll-ms"
# A poll of 10 minutes: the new lines can only arrive in time if the writer wakes it.
rm -f "$TMP/follow.out" "$TMP/follow.err"
"$SHAPELOG" --dir "$LOG" read --follow --poll-ms 600000 --format raw >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!; track $follower
n=$(sl read --format raw | wc -l)
wait_until 10 has_lines "$TMP/follow.out" "$n"
expect_ok sl append -q woken-buffered
wait_until 10 has_lines "$TMP/follow.out" $((n + 1))
expect_ok sl append -q --flush woken-flushed
wait_until 10 has_lines "$TMP/follow.out" $((n + 2))
kill -s TERM $follower
status=0; wait $follower || status=$?
[[ $status -eq 0 ]] || fail "read --follow exited $status on SIGTERM, expected 0"

step "SIGBUS (a mapped segment cut by another program, or a disk error under a mapping): exit 4 with a message"
# Readers map the segments before the last; a fault on such a mapping arrives as SIGBUS.
# This sends the signal itself, which is the part of that path that shapelog controls.
rm -f "$TMP/follow.out" "$TMP/follow.err"
"$SHAPELOG" --dir "$LOG" read --follow --poll-ms 10 >"$TMP/follow.out" 2>"$TMP/follow.err" &
follower=$!; track $follower
wait_until 10 has_lines "$TMP/follow.out" 1
kill -s BUS $follower
status=0; wait $follower || status=$?
LAST_CMD="shapelog read --follow (then SIGBUS)"
[[ $status -eq 4 ]] || fail "read --follow exited $status on SIGBUS, expected 4"
grep -q "memory mapping" "$TMP/follow.err" || fail "no message on SIGBUS: $(cat "$TMP/follow.err")"
grep -q "shapelog check" "$TMP/follow.err" || fail "the SIGBUS message does not say what to do"
