#!/usr/bin/env bash
# Two points of the trace contract (shared trace-format.md) that an independent model of it
# found broken: every schedule element that does nothing, or less than it asks, warns, also
# those after the last actor finished; and "count" on an empty log numbers the first entry
# 1_0, as `shapelog append` does.
source "$(dirname "$0")/lib.sh" "$@"

# trace FILE ACTORS [SCHEDULE]: writes a trace with those actors (a JSON array's contents).
trace() {
  local schedule=""
  [[ -n ${3:-} ]] && schedule=", \"schedule\": [$3]"
  printf '{"format": "shapelog-trace/1", "actors": [%s]%s}\n' "$2" "$schedule" >"$1"
}

step "steps: N that runs out on the last actor warns"
trace one.json '{"name": "w", "ops": [{"op": "append", "count": 1}]}' \
  '{"actor": "w", "steps": 1}, {"actor": "w", "steps": 5}'
expect_ok shapelog replay one.json
expect_stderr_contains "warning: schedule[1] (w for 5 steps): w finished after 1 of 5 steps"
[[ $(grep -c warning "$ERR") -eq 1 ]] || fail "expected exactly one warning"

step "every element after the last actor finished warns, each once"
trace two.json '{"name": "w", "ops": [{"op": "flush"}]}, {"name": "r", "ops": [{"op": "read"}]}' \
  '{"actor": "r", "until": "done"}, {"actor": "w", "until": "done"}, "r", {"actor": "w", "until": "flush.trim"}'
expect_ok shapelog replay two.json --strategy all --quiet
expect_stderr_contains \
  "warning: schedule[2] (r for 1 step): r has already finished; the element does nothing" \
  "warning: schedule[3] (w until flush.trim): w has already finished; the element does nothing"
[[ $(grep -c warning "$ERR") -eq 2 ]] || fail "expected exactly two warnings (once for all strategies)"

step "a schedule that ends where the actors do warns nothing"
trace exact.json '{"name": "w", "ops": [{"op": "flush"}]}, {"name": "r", "ops": [{"op": "read"}]}' \
  '{"actor": "r", "until": "read.snapshot"}, {"actor": "w", "steps": 3}'
expect_ok shapelog replay exact.json
expect_stderr_empty

step "count on an empty log numbers its entries as shapelog append does"
expect_ok sl append -q a b
expect_ok sl read
append_offsets=$(grep -oE '"offset":"[0-9_]+"' "$OUT" | cut -d'"' -f4 | paste -sd,)
[[ $append_offsets == 1_0,1_1 ]] || fail "shapelog append numbered $append_offsets"
trace count.json '{"name": "w", "ops": [{"op": "append", "count": 2}]}, {"name": "r", "ops": [{"op": "read"}]}'
expect_ok shapelog replay count.json --json
read_offsets=$("$PYTHON" -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["runs"][0]["reads"][0]["result"]))' "$OUT")
[[ $read_offsets == "$append_offsets" ]] || fail "the trace's count numbered $read_offsets, append $append_offsets"
