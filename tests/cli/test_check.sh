#!/usr/bin/env bash
# check: a clean log passes; a torn tail is reported with segment and position, repaired
# with a cut- file kept; a flipped byte in the middle makes read fail naming segment and byte,
# and cannot be repaired.
source "$(dirname "$0")/lib.sh" "$@"

# flip_byte FILE POS: inverts every bit of the byte at POS.
flip_byte() {
  local file=$1 pos=$2 byte
  byte=$(od -An -tu1 -j "$pos" -N 1 "$file" | tr -d ' ')
  # shellcheck disable=SC2059
  printf "\\$(printf '%03o' $((byte ^ 0xff)))" | dd of="$file" bs=1 seek="$pos" count=1 conv=notrunc status=none
}
only_segment() { local s=("$LOG"/*.seg); [[ ${#s[@]} -eq 1 ]] || fail "expected one segment"; echo "${s[0]}"; }

make_log() {
  rm -rf "$LOG"
  expect_ok sl append -q alpha beta gamma
  expect_ok sl append -q '{"k":"delta"}' epsilon
  expect_ok sl flush
}

step "a clean log: exit 0, ok:true"
make_log
expect_ok sl check
expect_stderr_empty
expect_stdout_lines 1
expect_json_field ok true
expect_json_field problems 0
expect_json_field records 5
expect_json_field last '"2_1"'

step "a clean log with buffered entries is clean too"
expect_ok sl append -q zeta
expect_ok sl check
expect_json_field ok true
make_log

step "torn tail: read stops cleanly before it; check exits 1 naming segment and position"
seg=$(only_segment); seg_name=$(basename "$seg")
size=$(stat -c %s "$seg")
truncate -s $((size - 5)) "$seg"
expect_ok sl read
expect_stdout_lines 4
expect_exit 1 sl check
expect_stdout_contains '"problem":"torn_tail"'
expect_stdout_contains "\"file\":\"$seg_name\""
# The last record is 32 + 7 bytes ("epsilon"): it starts at size - 39.
expect_stdout_contains "\"position\":$((size - 39))"
expect_stdout_contains '"ok":false'
expect_stderr_contains "--repair"
state=$(log_state)
expect_exit 1 sl check
[[ $(log_state) == "$state" ]] || fail "check without --repair changed the log"

step "check --repair: cuts the tail, keeps the cut bytes, exit 0; check is clean afterwards"
expect_ok sl check --repair
expect_json_field ok true
expect_stderr_contains "cut" "$seg_name"
cut_file="$LOG/cut-${seg_name%.seg}-$((size - 39)).bytes"
[[ -f $cut_file ]] || fail "no cut file $cut_file; the directory has: $(ls "$LOG")"
[[ $(stat -c %s "$cut_file") -eq 34 ]] || fail "the cut file should hold the 34 cut bytes"
[[ $(stat -c %s "$seg") -eq $((size - 39)) ]] || fail "the segment was not cut at the record boundary"
expect_ok sl check
expect_json_field ok true
expect_json_field records 4
expect_ok sl read --format raw
expect_stdout 'alpha
beta
gamma
{"k":"delta"}'

step "a log that was repaired takes appends again"
expect_ok sl append -q --flush eta
expect_ok sl read --format raw --last 1
expect_stdout 'eta'
expect_ok sl check

step "torn tail of zeros: reported and repaired"
make_log
seg=$(only_segment)
head -c 100 /dev/zero >>"$seg"
expect_exit 1 sl check
expect_stdout_contains '"problem":"torn_tail"'
expect_ok sl check --repair
expect_ok sl check
expect_ok sl read
expect_stdout_lines 5

step "flipped byte in the middle: read fails (exit 1) naming segment and byte"
make_log
seg=$(only_segment); seg_name=$(basename "$seg")
# Records of 33 bytes each (32-byte header + 1..7 bytes); the third starts at 2*(32+5)=74.
rec3=$(((32 + 5) + (32 + 4)))
flip_byte "$seg" $((rec3 + 10))
state=$(dir_checksum "$LOG")
expect_exit 1 sl read
expect_stderr_contains "$seg_name" "byte $rec3"
# Nothing from the damaged record on is printed as data.
if grep -q gamma "$OUT" || grep -q delta "$OUT"; then fail "read returned data from the damaged part"; fi
expect_exit 1 sl read --from 2
expect_stderr_contains "$seg_name" "byte $rec3"
expect_exit 1 sl check
expect_stdout_contains "\"file\":\"$seg_name\""
expect_stdout_contains "\"position\":$rec3"
expect_stdout_contains '"problem":"damage"'

step "damage in the middle cannot be repaired: exit 1, nothing changed"
expect_exit 1 sl check --repair
expect_stderr_contains "cannot be repaired"
[[ $(dir_checksum "$LOG") == "$state" ]] || fail "check --repair changed a log with damage in the middle"

step "a flipped payload byte in the middle is damage too"
make_log
seg=$(only_segment); seg_name=$(basename "$seg")
flip_byte "$seg" $((32 + 2))   # inside "alpha"
expect_exit 1 sl read
expect_stderr_contains "$seg_name" "byte 0"
expect_stdout ""
expect_exit 1 sl check
expect_stdout_contains '"position":0'

step "a missing index is reported and rebuilt"
make_log
rm "$LOG/index"
sl check >"$OUT" 2>"$ERR" || true   # a missing index may be reported (exit 1) or ignored (exit 0)
expect_ok sl check --repair
expect_ok sl check
expect_json_field ok true
[[ -f $LOG/index ]] || fail "check --repair did not rebuild the index"
expect_ok sl read --from 2
expect_stdout_lines 2

step "a stray file whose name is not UTF-8 is reported as JSON, with the byte replaced"
make_log
stray="$LOG/$(printf 'notes-\xff.txt')"
: >"$stray"
expect_ok sl check
expect_stderr_empty
expect_stdout_contains '"problem":"unknown_file"'
expect_stdout_contains "\"file\":\"notes-$(printf '\xef\xbf\xbd').txt\""
"$PYTHON" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$OUT" ||
  fail "check printed a line that is not JSON"
rm "$stray"
