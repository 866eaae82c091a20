#!/usr/bin/env bash
# flush and stat: reads are the same before and after flush; stat's fields follow appends
# and flushes (last_seen, last_persisted, generation, entries, buffered_entries, segments).
source "$(dirname "$0")/lib.sh" "$@"

step "stat and flush on a directory that does not exist: exit 2, nothing created"
expect_exit 2 sl stat
expect_stderr_contains "$LOG" "does not exist"
[[ ! -e $LOG ]] || fail "stat created the log directory"

step "after appends: everything buffered, nothing persisted"
expect_ok sl append -q a b c
expect_ok sl append -q '{"n":1}' 2
expect_ok sl stat
"$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT" || fail "stat did not print one JSON object"
expect_json_field last_seen '"2_1"'
expect_json_field last_persisted '"-1"'
expect_json_field entries 5
expect_json_field buffered_entries 5
expect_json_field persisted_entries 0
expect_json_field segments '[]'
gen_before=$(json_get "$OUT" generation)
[[ $gen_before =~ ^[0-9]+$ ]] || fail "generation is not a number: $gen_before"
expect_ok sl read
cp "$OUT" "$TMP/read-before"
[[ $(wc -l <"$TMP/read-before") -eq 5 ]] || fail "expected 5 entries before flush"

step "flush: prints last_persisted and the new generation"
expect_ok sl flush
expect_json_field last_persisted '"2_1"'
expect_json_field generation $((gen_before + 1))

step "after flush: same read output, stat moved on"
expect_ok sl read
cmp "$TMP/read-before" "$OUT" || fail "read output changed after flush"
expect_ok sl stat
expect_json_field last_seen '"2_1"'
expect_json_field last_persisted '"2_1"'
expect_json_field generation $((gen_before + 1))
expect_json_field entries 5
expect_json_field persisted_entries 5
expect_json_field buffered_entries 0
expect_json_field buffered_bytes 0
"$PYTHON" - "$OUT" <<'PY' || fail "stat segments are not one non-empty 20-digit .seg file"
import json, re, sys
segs = json.load(open(sys.argv[1]))["segments"]
assert len(segs) == 1, segs
assert re.fullmatch(r"\d{20}\.seg", segs[0]["name"]), segs
assert segs[0]["bytes"] > 0, segs
PY
seg_name=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["segments"][0]["name"])' "$OUT")
[[ -f $LOG/$seg_name ]] || fail "stat names segment $seg_name, which is not in $LOG"
seg_bytes=$(json_get "$OUT" persisted_bytes)
[[ $seg_bytes -eq $(stat -c %s "$LOG/$seg_name") ]] || fail "persisted_bytes $seg_bytes is not the segment's size"

step "a flush with nothing buffered changes nothing"
before=$(log_state)
expect_ok sl flush
expect_json_field last_persisted '"2_1"'
[[ $(log_state) == "$before" ]] || fail "an empty flush changed the log"

step "mixed: part on disk, part buffered"
expect_ok sl append -q x y
expect_ok sl stat
expect_json_field last_seen '"3_1"'
expect_json_field last_persisted '"2_1"'
expect_json_field entries 7
expect_json_field buffered_entries 2
expect_ok sl read
cp "$OUT" "$TMP/read-mixed"
expect_ok sl flush
expect_ok sl read
cmp "$TMP/read-mixed" "$OUT" || fail "read output changed after the second flush"
expect_ok sl stat
expect_json_field buffered_entries 0
expect_json_field entries 7
expect_json_field generation $((gen_before + 2))

step "append --flush persists at once"
expect_ok sl append -q --flush z
expect_ok sl stat
expect_json_field last_persisted '"4_0"'
expect_json_field buffered_entries 0

step "append flushes by itself past --flush-threshold"
expect_ok sl append -q --flush-threshold 100 "$(printf '%0300d' 0)"
expect_ok sl stat
expect_json_field last_persisted '"5_0"'
expect_json_field buffered_entries 0

step "the data survives: a fresh read of everything"
expect_ok sl read --format raw
[[ $(wc -l <"$OUT") -eq 9 ]] || fail "expected 9 entries at the end"
expect_ok sl check
