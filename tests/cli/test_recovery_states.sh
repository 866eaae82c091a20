#!/usr/bin/env bash
# What recovery does with tails and records no writer of this log wrote (README, durability):
#   - a torn tail is cut in a stream, in constant memory, however large; its non-zero bytes
#     are kept in a cut-*.bytes copy, a tail of zeros only noted;
#   - a record on disk above buffered entries that were never flushed is reported loudly,
#     and the buffered entries it displaces are kept in a cut-buffer-*.bytes copy.
source "$(dirname "$0")/lib.sh" "$@"

segment=$LOG/00000000000000000001.seg
[[ -x /usr/bin/time ]] || { echo "SKIP: needs /usr/bin/time"; exit 77; }

# max_rss_kb CMD...: runs CMD (its output in $OUT and $ERR) and prints its peak memory in KB
# (0 under a sanitizer, whose shadow memory would be measured instead).
max_rss_kb() {
  LAST_CMD=$(printf '%q ' "$@")
  /usr/bin/time -f %M -o "$TMP/.rss" "$@" >"$OUT" 2>"$ERR" || fail "exit $? from $LAST_CMD"
  if [[ -n ${SHAPELOG_SANITIZED:-} ]]; then echo 0; else cat "$TMP/.rss"; fi
}

step "a 512 MiB zero-filled tail is cut in a stream (peak memory under 64 MiB), noted, not copied"
expect_ok sl append -q --flush a b
truncate -s +512M "$segment"
rss=$(max_rss_kb "$SHAPELOG" --dir "$LOG" append -q --flush c)
((rss < 65536)) || fail "cutting a 512 MiB tail took $rss KB"
expect_stderr_contains "cut a torn tail of 536870912 bytes" "they were all zeros, so no copy was kept"
[[ -z $(find "$LOG" -name 'cut-*') ]] || fail "a copy of zeros was kept"

step "a torn 3 MiB record is cut in a stream, and its bytes are kept exactly"
"$PYTHON" -c 'print("v" * (4 << 20))' | shapelog --dir "$TMP/other" append -q --flush
head -c $((3 << 20)) "$TMP/other/00000000000000000001.seg" >"$TMP/torn"
before=$(wc -c <"$segment")
cat "$TMP/torn" >>"$segment"
rss=$(max_rss_kb "$SHAPELOG" --dir "$LOG" append -q --flush d)
((rss < 65536)) || fail "cutting a 3 MiB tail took $rss KB"
copy=$LOG/cut-00000000000000000001-$before.bytes
expect_stderr_contains "the cut bytes are in cut-00000000000000000001-$before.bytes"
cmp -s "$copy" "$TMP/torn" || fail "the copy differs from the bytes that were cut"
expect_ok sl read --format raw
expect_stdout "a
b
c
d"

step "a record on disk above never-flushed buffered entries: a loud warning and a copy"
A=$TMP/A X=$TMP/X
shapelog --dir "$A" append -q --flush first
shapelog --dir "$A" append -q --flush-threshold 0 second   # 2_0, buffered only
shapelog --dir "$A" append -q --flush-threshold 0 third    # 3_0, buffered only
shapelog --dir "$X" append -q --flush first
shapelog --dir "$X" append -q --flush --tx 9 nine          # X's disk: 1_0, 9_0
cp "$X/00000000000000000001.seg" "$A/00000000000000000001.seg"
expect_ok shapelog --dir "$A" flush
expect_stderr_contains "the disk log ends at 9_0, above buffered entries 2_0..3_0 that were never flushed" \
  "their records kept in cut-buffer-9_0.bytes"
grep -q second "$A/cut-buffer-9_0.bytes" && grep -q third "$A/cut-buffer-9_0.bytes" ||
  fail "the displaced entries are not in the copy"
echo "recovery states: all passed"
