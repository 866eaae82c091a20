#!/usr/bin/env bash
# Inputs cannot make shapelog take unbounded memory or time: trace files past
# --max-trace-bytes (32 MiB by default) are refused with exit 2 and the size, regular files
# before they are read, pipes and devices once that much has arrived; a schedule of many
# elements that do nothing prints a bounded number of warnings; replay's text output stays
# linear in the steps however many actors there are.
source "$(dirname "$0")/lib.sh" "$@"

TRACE=$CLI_TEST_DIR/../../testdata/traces/seed-race.json
size=$(wc -c <"$TRACE")

step "a regular file past the limit is refused by its size"
truncate -s 40M "$TMP/huge.json"
expect_exit 2 shapelog replay "$TMP/huge.json"
expect_stderr_contains "trace '$TMP/huge.json' has 41943040 bytes, more than the limit of 33554432" \
  "--max-trace-bytes"
expect_exit 2 shapelog replay "$TRACE" --max-trace-bytes $((size - 1))
expect_stderr_contains "has $size bytes, more than the limit of $((size - 1))"
expect_exit 1 shapelog replay "$TRACE" --max-trace-bytes "$size" --strategy naive

step "devices and pipes are read up to the limit, no further"
expect_exit 2 shapelog replay /dev/zero
expect_stderr_contains "trace '/dev/zero' has more than 33554432 bytes"
expect_exit 2 shapelog replay /dev/stdin --max-trace-bytes 1000 < <(head -c 5000 /dev/zero)
expect_stderr_contains "has more than 1000 bytes"
expect_exit 1 shapelog replay /dev/stdin --strategy naive < <(cat "$TRACE")
expect_stdout_contains "outcome: race"

step "a directory, a missing file, a symbolic link loop: exit 2 with what to do"
expect_exit 2 shapelog replay "$TMP"
expect_stderr_contains "is a directory; give a trace file"
expect_exit 2 shapelog replay "$TMP/missing.json"
expect_stderr_contains "No such file or directory (ENOENT); check the path"
ln -s loop "$TMP/loop"
expect_exit 2 shapelog replay "$TMP/loop"
expect_stderr_contains "(ELOOP); the path has a symbolic link loop"

step "a thousand schedule elements that do nothing: 20 warnings and a count of the rest"
"$PYTHON" - "$TMP/idle.json" <<'PY'
import json, sys
trace = {"format": "shapelog-trace/1", "actors": [{"name": "r1", "ops": [{"op": "read"}]}],
         "schedule": ["r1"] * 1001}
json.dump(trace, open(sys.argv[1], "w"))
PY
expect_ok shapelog replay -q "$TMP/idle.json"
[[ $(grep -c "warning:" "$ERR") -eq 21 ]] || fail "expected 20 warnings and one line for the rest"
expect_stderr_contains "warning: 980 more warnings not shown"
step "replay of 2,000 actors prints one line per step, not one column per actor"
"$PYTHON" - "$TMP/wide.json" <<'PY'
import json, sys
actors = [{"name": "w", "ops": [{"op": "append", "count": 1}, {"op": "flush"}]}]
actors += [{"name": f"r{i}", "ops": [{"op": "read"}]} for i in range(2000)]
json.dump({"format": "shapelog-trace/1", "actors": actors}, open(sys.argv[1], "w"))
PY
expect_ok shapelog replay "$TMP/wide.json"
expect_stdout_contains " step  actor  point"
expect_stdout_contains "    5  r0     read.snapshot  persisted=1_0 seen=1_0 gen=2"
bytes=$(wc -c <"$OUT")
((bytes < 200 * 2005 + 200 * 2001)) || fail "replay printed $bytes bytes for 2,005 steps and 2,001 reads"
step "append of 2,000,000 stdin lines takes memory in proportion to them (under 64 MiB)"
if [[ -x /usr/bin/time && -z ${SHAPELOG_SANITIZED:-} ]]; then
  awk 'BEGIN { for (i = 1; i <= 2000000; i++) print i % 10 }' >"$TMP/lines"
  /usr/bin/time -f %M -o "$TMP/rss" "$SHAPELOG" --dir "$LOG" append -q <"$TMP/lines" ||
    fail "append of 2,000,000 lines failed"
  rss=$(cat "$TMP/rss")
  # 4 MB of lines; an Entry per line took about 130 bytes each, 250 MB in all.
  ((rss < 65536)) || fail "append of 2,000,000 lines took $rss KB"
  expect_ok sl stat
  expect_json_field entries 2000000
  expect_ok sl read --last 1 --format raw
  expect_stdout 0
fi
echo "bounded input: all passed"
