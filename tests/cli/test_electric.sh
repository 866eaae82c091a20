#!/usr/bin/env bash
# shapelog electric ls | stat | read | check on shape directories written by
# tests/electric/make_shape.py from the format reference: a clean shape of several chunks,
# every kind of damage check knows, the states a live writer leaves, and hostile input.
source "$(dirname "$0")/lib.sh" "$@"

MAKE_SHAPE="$CLI_TEST_DIR/../electric/make_shape.py"
make_shape() { "$PYTHON" "$MAKE_SHAPE" "$@" >/dev/null; }
el() { shapelog electric "$@"; }
# py_records SHAPE: the records' json, one per line, as an independent reader parses the file.
py_records() {
  "$PYTHON" - "$1/log/log.latest.0.jsonfile.bin" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
p, out = 0, []
while p + 30 <= len(d):
    tx, op, k = struct.unpack_from(">QQI", d, p)
    (n,) = struct.unpack_from(">Q", d, p + 22 + k)
    if p + 30 + k + n > len(d): break
    out.append(d[p + 30 + k:p + 30 + k + n])
    p += 30 + k + n
sys.stdout.buffer.write(b"".join(j + b"\n" for j in out))
PY
}
# expect_finding KIND DAMAGE: the last check printed a finding of KIND with "damage": DAMAGE.
expect_finding() {
  "$PYTHON" - "$OUT" "$1" "$2" <<'PY' || fail "expected a finding of kind $1 with damage $2"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert "summary" in lines[-1], "no summary line last"
want = sys.argv[3] == "true"
assert any(l.get("kind") == sys.argv[2] and l["damage"] == want for l in lines[:-1]), lines
PY
}

SHAPE=$TMP/storage/default/87/65/87654321-1700000000000000
make_shape --storage "$TMP/storage" --records 40 --json-bytes 200 --chunk-bytes 1500

step "stat: metadata decoded, chunk table, sizes"
expect_ok el stat "$SHAPE"
"$PYTHON" - "$OUT" <<'PY' || fail "stat output is not as expected"
import json, sys
s = json.load(open(sys.argv[1]))
m = s["metadata"]
assert m["version"] == 1 and m["latest_name"] == "latest.0", m
assert m["last_persisted_txn_offset"] == "4294968309_0", m
assert m["last_snapshot_chunk"] == "0_1" and m["snapshot_started?"] is True, m
assert m["pg_snapshot"] == {"filter_txns?": False, "xip_list": [], "xmax": 110, "xmin": 100}, m
assert m["compaction_boundary"] is None
p = s["parts"][0]
assert p["records"] == 40 and p["bytes_past_last_persisted"] == 0, p
assert len(p["chunks"]) >= 4 and p["chunks"][0]["start_pos"] == 0, p["chunks"]
assert p["first_offset"] == "4294968296_0" and p["last_offset"] == "4294968309_0", p
assert any(f["path"] == "log/log.latest.0.jsonfile.bin" for f in s["files"])
PY

step "read: every record, with key and op; raw is the json bytes exactly"
expect_ok el read "$SHAPE"
expect_stdout_lines 40
expect_stderr_empty
"$PYTHON" - "$OUT" <<'PY' || fail "read output is not as expected"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[0]["op"] == "control" and lines[0]["key"] == "", lines[0]
assert lines[1]["op"] == "update" and lines[1]["key"] == '"public"."items"/"1"', lines[1]
assert lines[1]["value"]["value"]["id"] == "1"
assert lines[3]["offset"] == "4294968297_0"
PY
expect_ok el read --format raw "$SHAPE"
py_records "$SHAPE" >"$TMP/want_raw"
cmp "$OUT" "$TMP/want_raw" || fail "read --format raw differs from the records' json"

step "read ranges: --from, --after, --to, --limit, --last; with and without the index"
expect_ok el read --from 4294968305_2 --limit 3 "$SHAPE"
expect_stderr_empty
expect_stdout_lines 3
head -n1 "$OUT" | grep -qF '"offset":"4294968305_2"' || fail "--from did not start at 4294968305_2"
cp "$OUT" "$TMP/from_index"
expect_ok el read --from 4294968305_2 --limit 3 --no-index "$SHAPE"
cmp "$OUT" "$TMP/from_index" || fail "--no-index gives other records"
expect_ok el read --after 4294968305_2 --to 4294968306_2 "$SHAPE"
expect_stdout_lines 3
head -n1 "$OUT" | grep -qF '"offset":"4294968305_4"' || fail "--after did not skip its offset"
expect_ok el read --last 2 --format raw "$SHAPE"
tail -n 2 "$TMP/want_raw" | cmp - "$OUT" || fail "--last 2 is not the last two records"
expect_ok el read --from 9999999999 "$SHAPE"
expect_stdout ""
expect_exit 2 el read --from 1_x "$SHAPE"
expect_stderr_contains "--from '1_x' is not an offset"
expect_exit 2 el read --from 5 --to 4 "$SHAPE"

step "check: a clean shape has no finding; ls lists it"
expect_ok el check "$SHAPE"
expect_stdout_lines 1
expect_stdout_contains '"ok":true'
expect_ok el ls "$TMP/storage"
expect_stdout_lines 1
expect_stdout_contains '"handle":"87654321-1700000000000000"'
expect_stdout_contains '"records":40'
expect_ok el ls --json "$TMP/storage"
expect_json_field shape_count 1

step "a shape written by Electric's own encoders (testdata/electric/real/make.sh)"
REAL=$CLI_TEST_DIR/../../testdata/electric/real/shape
expect_ok el check "$REAL"
expect_stdout_contains '"ok":true'
expect_stdout_contains '"records":30'
expect_ok el read --format raw "$REAL"
py_records "$REAL" | cmp - "$OUT" || fail "raw read of the real shape differs from its records"
expect_ok el read --from 4294968301_2 --limit 1 "$REAL"
expect_stderr_empty
expect_stdout_contains '"offset":"4294968301_2"'
expect_ok el stat "$REAL"
expect_stdout_contains '"pg_snapshot":{"filter_txns?":false,"xip_list":[105],"xmax":110,"xmin":100}'

step "read --snapshot: the initial snapshot's rows"
expect_ok el read --snapshot --format raw "$SHAPE"
expect_stdout_lines 6
head -n1 "$OUT" | grep -qxF '{"id":"0","v":"snap"}' || fail "first snapshot row wrong"

step "nothing is written or locked: every command on a read-only copy"
chmod -R a-w "$TMP/storage"
before=$(dir_checksum "$TMP/storage")
expect_ok el stat "$SHAPE"
expect_ok el read "$SHAPE"
expect_ok el check "$SHAPE"
expect_ok el ls "$TMP/storage"
[[ $(dir_checksum "$TMP/storage") == "$before" ]] || fail "the shape directory changed"
chmod -R u+w "$TMP/storage"

step "every damage kind: check exits 1 and names it"
while read -r damage kind; do
  d=$TMP/d-$damage
  make_shape "$d" --damage "$damage"
  expect_exit 1 el check "$d"
  expect_finding "$kind" true
done <<'EOF_KINDS'
torn torn_record
huge_size torn_record
offset_order offset_order
op_type op_type
bad_json json
chunk_misaligned chunk_misaligned
chunk_min chunk_min
chunk_gap chunk_gap
chunk_half_middle chunk_gap
chunk_odd_length chunk_index_length
chunk_past_log chunk_past_log
metadata_bad metadata
version storage_version
etf_deep metadata
etf_deep_small metadata
snapshot_unterminated snapshot_unterminated
persisted_missing persisted_offset_missing
EOF_KINDS

step "a live writer's state is reported, not damage"
while read -r damage kind; do
  d=$TMP/d-$damage
  make_shape "$d" --damage "$damage"
  expect_ok el check "$d"
  expect_finding "$kind" false
done <<'EOF_KINDS'
torn_unpersisted torn_record
unpersisted_tail unpersisted_tail
live_tail chunk_unpersisted
EOF_KINDS

step "hostile input: clear messages, no crash"
expect_ok el stat "$TMP/d-etf_deep"
expect_stdout_contains "more than 262144 bytes"
expect_ok el stat "$TMP/d-etf_deep_small"
expect_stdout_contains "nested more than 64 deep"
expect_ok el read "$TMP/d-huge_size"
expect_stdout_lines 20
expect_stderr_contains "cut short at byte" "it needs 9223372036854"
expect_ok el stat "$TMP/d-chunk_odd_length"
mkdir -p "$TMP/loop/default"
ln -s .. "$TMP/loop/default/up"
ln -s "$TMP/loop" "$TMP/loop/self"
cp -r "$TMP/storage/default/87" "$TMP/loop/default/"
expect_ok el ls "$TMP/loop"
expect_stdout_lines 1
expect_stderr_contains "2 symbolic link(s)"

step "the index disagrees: read says so and scans"
# Chunk 1 (records 8 to 15) has a wrong min; record 10 is 4294968299_2.
expect_ok el read --from 4294968299_2 --limit 3 --no-index "$TMP/d-chunk_min"
cp "$OUT" "$TMP/from_scan"
head -n1 "$OUT" | grep -qF '"offset":"4294968299_2"' || fail "--no-index did not start at 4294968299_2"
expect_ok el read --from 4294968299_2 --limit 3 "$TMP/d-chunk_min"
expect_stderr_contains "disagrees with the log" "scanning"
cmp "$OUT" "$TMP/from_scan" || fail "the scan after a bad index gives other records"
rm "$TMP/d-chunk_min/log/log.latest.0.chunk.bin"
expect_ok el read --from 4294968299_2 --limit 3 "$TMP/d-chunk_min"
expect_stderr_contains "no chunk index"
cmp "$OUT" "$TMP/from_scan" || fail "the scan without an index gives other records"

step "bad arguments: exit 2 with what to give"
expect_exit 2 el stat "$TMP/nowhere"
expect_stderr_contains "is not a directory"
mkdir "$TMP/empty"
expect_exit 2 el read "$TMP/empty"
expect_stderr_contains "not an Electric shape directory"
expect_exit 2 el ls "$TMP/nowhere"
expect_exit 2 el check
expect_exit 2 el
expect_exit 2 el bogus
expect_stderr_contains "unknown command 'electric bogus'; run shapelog electric --help"

step "read --follow: a half-written record is waited for, then printed"
make_shape "$TMP/live" --damage torn_unpersisted
has_lines() { [[ $(wc -l <"$1") -eq $2 ]]; }
full=$TMP/full
make_shape "$full"
"$SHAPELOG" electric read --follow --poll-ms 10 --format raw "$TMP/live" >"$TMP/follow.out" 2>"$TMP/follow.err" &
track $!
wait_until 10 has_lines "$TMP/follow.out" 39
# Append the rest of the cut record, as Electric's next flush would.
size=$(stat -c %s "$TMP/live/log/log.latest.0.jsonfile.bin")
tail -c +"$((size + 1))" "$full/log/log.latest.0.jsonfile.bin" >>"$TMP/live/log/log.latest.0.jsonfile.bin"
wait_until 10 has_lines "$TMP/follow.out" 40
py_records "$full" | cmp - "$TMP/follow.out" || fail "--follow printed other records"
[[ ! -s $TMP/follow.err ]] || fail "--follow reported the half-written record: $(cat "$TMP/follow.err")"
