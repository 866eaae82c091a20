#!/usr/bin/env bash
# Concurrency between processes:
#  1. Two writer processes appending (and flushing) at the same time are serialized by the
#     lock: every append lands exactly once, under its own transaction number, and each
#     writer's values keep their order. A writer that cannot get the lock in time fails
#     with exit 4 naming the holder, and changes nothing; one that waits long enough gets in.
#  2. A reader started while a flush is in progress sees a consistent range: exactly the
#     published entries of its range, whether they come from the buffer, the disk or both.
#
#   tests/crash/two_writers.sh PATH_TO_SHAPELOG     # APPENDS=40 per writer, ROUNDS=4 flushes
set -uo pipefail
export LC_ALL=C.UTF-8
SHAPELOG=${1:?"usage: $0 PATH_TO_SHAPELOG"}
SHAPELOG=$(cd "$(dirname "$SHAPELOG")" && pwd)/$(basename "$SHAPELOG")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APPENDS=${APPENDS:-40}
ROUNDS=${ROUNDS:-4}
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=$(command -v python3)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shapelog-two-writers.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
unset SHAPELOG_DIR
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
sl() { "$SHAPELOG" --dir "$LOG" "$@"; }

# ---------------------------------------------------------------- 1. two writers
LOG=$TMP/log1
sl append -q --flush start || bad "creating the log failed"
writer() {  # writer NAME: APPENDS appends of "NAME-i", a flush or an append --flush now and then
  local name=$1 i
  for ((i = 1; i <= APPENDS; i++)); do
    if ((i % 5 == 0)); then
      sl append -q --flush "$name-$i" 2>>"$TMP/$name.err" || echo "append --flush $name-$i: $?" >>"$TMP/$name.err"
    else
      sl append -q --flush-threshold 256 "$name-$i" 2>>"$TMP/$name.err" || echo "append $name-$i: $?" >>"$TMP/$name.err"
    fi
    if ((i % 8 == 0)); then sl flush >/dev/null 2>>"$TMP/$name.err" || echo "flush: $?" >>"$TMP/$name.err"; fi
  done
}
writer A & PIDS+=($!)
writer B & PIDS+=($!)
wait "${PIDS[@]}"
PIDS=()
for name in A B; do
  if [[ -s $TMP/$name.err ]]; then bad "writer $name reported errors: $(head -3 "$TMP/$name.err")"; fi
done
check_two() {  # check_two WHEN: the log holds start, then A-i and B-i once each, in order
  sl read >"$TMP/read.jsonl" || { bad "$1: read failed"; return; }
  "$PYTHON" - "$TMP/read.jsonl" "$APPENDS" "$1" <<'PY'
import json, sys
path, n, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
entries = [json.loads(l) for l in open(path)]
errors = []
txs = [int(e["offset"].split("_")[0]) for e in entries]
if txs != list(range(1, 2 * n + 2)):
    errors.append(f"transaction numbers are not 1..{2 * n + 1} in order: {txs[:5]}...{txs[-5:]}")
values = [e["value"] for e in entries]
if values[:1] != ["start"]:
    errors.append(f"first value is {values[:1]}")
for name in "AB":
    mine = [v for v in values if isinstance(v, str) and v.startswith(name + "-")]
    want = [f"{name}-{i}" for i in range(1, n + 1)]
    if mine != want:
        lost = sorted(set(want) - set(mine))
        dup = sorted({v for v in mine if mine.count(v) > 1})
        errors.append(f"writer {name}: lost {lost[:5]}, duplicated {dup[:5]}, or out of order")
if len(values) != 2 * n + 1:
    errors.append(f"{len(values)} entries, expected {2 * n + 1}")
print("; ".join(errors))
sys.exit(1 if errors else 0)
PY
}
if out=$(check_two "after the writers"); then ok "two writers x $APPENDS appends: all $((2 * APPENDS + 1)) entries once, in order"; else bad "two writers: $out"; fi
sl flush >/dev/null
if out=$(check_two "after a final flush"); then ok "after a final flush the same entries are on disk"; else bad "after a final flush: $out"; fi
if sl check >/dev/null; then ok "check is clean after concurrent writers"; else bad "check found problems after concurrent writers"; fi

# The lock really excludes: hold it with flock(1) (the same flock(2) PosixFileSystem takes).
if command -v flock >/dev/null; then
  before=$(sl read | md5sum)
  flock "$LOG/lock" sleep 1.5 & holder=$!; PIDS+=($holder)
  sleep 0.3
  sl append -q --lock-timeout 200 blocked 2>"$TMP/busy.err"; rc=$?
  if ((rc == 4)) && grep -q "locked by another writer" "$TMP/busy.err"; then
    ok "a writer that cannot get the lock in 200 ms exits 4 naming the lock"
  else
    bad "a blocked writer exited $rc: $(cat "$TMP/busy.err")"
  fi
  [[ $(sl read | md5sum) == "$before" ]] && ok "the blocked writer changed nothing" || bad "the blocked writer changed the log"
  sl append -q --lock-timeout 5000 waited; rc=$?
  if ((rc == 0)) && ! kill -0 "$holder" 2>/dev/null; then
    ok "a writer willing to wait gets the lock once it is released"
  else
    bad "a waiting writer exited $rc (or got in while the lock was held)"
  fi
  wait "$holder" 2>/dev/null
  PIDS=()
fi

# ---------------------------------------------------------------- 2. readers during a flush
LOG=$TMP/log2
TX_ENTRIES=${TX_ENTRIES:-6000}
reads=0 overlapped=0
check_read() {  # check_read FILE FIRST_TX LAST_TX [AFTER_TX TO_TX]: the range, exactly
  "$PYTHON" - "$@" "$TX_ENTRIES" <<'PY'
import json, sys
path, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
n = int(sys.argv[-1])
lo, hi = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) == 7 else (first - 1, last)
want = [(f"{t}_{o}", f"r{t}-{o}") for t in range(max(first, lo + 1), min(last, hi) + 1)
        for o in range(n)]
got = [(e["offset"], e["value"]) for e in map(json.loads, open(path))]
if got != want:
    i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    print(f"{len(got)} entries, expected {len(want)}; first difference at #{i}: "
          f"got {got[i] if i < len(got) else None}, expected {want[i] if i < len(want) else None}")
    sys.exit(1)
PY
}
tx=0
for ((round = 1; round <= ROUNDS; round++)); do
  # Three transactions of TX_ENTRIES entries each wait in the buffer...
  for ((k = 0; k < 3; k++)); do
    tx=$((tx + 1))
    seq 0 $((TX_ENTRIES - 1)) | sed "s/^/r$tx-/" | sl append -q --flush-threshold 0 --tx $tx ||
      bad "round $round: append of tx $tx failed"
  done
  # ... a flush writes them, while readers start at staggered moments, concurrently.
  sl flush >/dev/null 2>"$TMP/flush.err" & flusher=$!; PIDS+=($flusher)
  readers=()
  for ((r = 0; r < 6; r++)); do
    (
      sleep "0.00$((r * 2))"
      running=0; kill -0 "$flusher" 2>/dev/null && running=1
      echo "$running" >"$TMP/r$r.running"
      if ((r % 2 == 0)); then
        sl read >"$TMP/r$r.jsonl" 2>"$TMP/r$r.err"
      else
        sl read --after "$((tx - 2))_$((TX_ENTRIES - 1))" --to "$((tx - 1))_$((TX_ENTRIES - 1))" \
          >"$TMP/r$r.jsonl" 2>"$TMP/r$r.err"
      fi
    ) & readers+=($!)
  done
  for ((r = 0; r < 6; r++)); do
    wait "${readers[$r]}"; rc=$?
    running=$(cat "$TMP/r$r.running")
    if ((r % 2 == 0)); then args=(1 $tx); else args=(1 $tx $((tx - 2)) $((tx - 1))); fi
    reads=$((reads + 1)); overlapped=$((overlapped + running))
    if ((rc != 0)); then bad "round $round: read $r during the flush exited $rc: $(cat "$TMP/r$r.err")"
    elif ! out=$(check_read "$TMP/r$r.jsonl" "${args[@]}"); then bad "round $round read $r (flush running: $running): $out"
    fi
  done
  wait "$flusher" || bad "round $round: the flush failed: $(cat "$TMP/flush.err")"
  PIDS=()
done
sl read >"$TMP/r.jsonl" && check_read "$TMP/r.jsonl" 1 $tx >/dev/null && ok "all $tx transactions read back after the flushes" || bad "final read differs"
((failed == 0)) && ok "$reads reads during $ROUNDS flushes ($overlapped started while the flush was running) each saw exactly its range"
echo "two_writers: $passed passed, $failed failed"
((failed == 0))
