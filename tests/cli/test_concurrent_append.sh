#!/usr/bin/env bash
# Concurrent appenders from separate processes lose nothing: two loops of 50 `append -q`
# (two entries each) plus a loop of flushes, all at once; then every transaction is there,
# whole, with distinct tx numbers and the right values, before and after a final flush.
source "$(dirname "$0")/lib.sh" "$@"

N=${SHAPELOG_CLI_APPENDS:-50}
expect_ok sl append -q --flush start   # create the log first, so the racers only append

appender() {  # appender NAME: N transactions "NAME-i-0", "NAME-i-1"; failures to a file
  local name=$1 i
  for ((i = 1; i <= N; i++)); do
    "$SHAPELOG" --dir "$LOG" append -q "$name-$i-0" "$name-$i-1" 2>>"$TMP/$name.err" ||
      echo "append $name-$i failed with $?" >>"$TMP/$name.err"
  done
}
flusher() {
  local i
  for ((i = 1; i <= 15; i++)); do
    "$SHAPELOG" --dir "$LOG" flush >/dev/null 2>>"$TMP/F.err" || echo "flush $i failed with $?" >>"$TMP/F.err"
  done
}

step "two appenders ($N transactions each) and a flusher, concurrently"
appender A & a=$!; track $a
appender B & b=$!; track $b
flusher & f=$!; track $f
wait $a $b $f
for name in A B F; do
  if [[ -s $TMP/$name.err ]]; then cat "$TMP/$name.err" >&2; fail "a concurrent $name process failed"; fi
done

verify() {
  expect_ok sl read
  "$PYTHON" - "$OUT" "$N" <<'PY' || fail "concurrent appends lost, duplicated or mixed entries"
import json, sys
from collections import defaultdict
n = int(sys.argv[2])
rows = [json.loads(line) for line in open(sys.argv[1])]
txs = defaultdict(list)
for row in rows:
    tx, op = map(int, row["offset"].split("_"))
    txs[tx].append((op, row["value"]))
errors = []
assert txs.pop(1) == [(0, "start")], "the first transaction is not 'start'"
if len(txs) != 2 * n:
    errors.append(f"expected {2 * n} transactions after 'start', found {len(txs)}")
seen = set()
for tx, entries in sorted(txs.items()):
    ops = [op for op, _ in entries]
    values = [v for _, v in entries]
    if ops != [0, 1]:
        errors.append(f"tx {tx} has ops {ops}, expected [0, 1]")
        continue
    name, i, _ = values[0].split("-")
    if values != [f"{name}-{i}-0", f"{name}-{i}-1"]:
        errors.append(f"tx {tx} mixes values: {values}")
    if (name, i) in seen:
        errors.append(f"transaction {name}-{i} appears twice")
    seen.add((name, i))
want = {(name, str(i)) for name in "AB" for i in range(1, n + 1)}
if want - seen:
    errors.append(f"missing transactions: {sorted(want - seen)[:10]}")
# Each appender's transactions are in its own order.
for name in "AB":
    order = [int(v[0][1].split("-")[1]) for tx, v in sorted(txs.items()) if v[0][1].startswith(name + "-")]
    if order != sorted(order):
        errors.append(f"appender {name}'s transactions are out of order")
for e in errors[:20]:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

step "read: $((2 * N)) transactions, distinct tx numbers, every value present"
verify
expect_ok sl stat
expect_json_field entries $((4 * N + 1))
step "the same after a final flush, and check is clean"
expect_ok sl flush
verify
expect_ok sl check
expect_json_field records $((4 * N + 1))
