#!/usr/bin/env bash
# Multi-process readers while a writer appends and flushes: one writer process appends
# transactions of 3 entries and flushes (explicitly and past a small --flush-threshold);
# three reader processes read everything over and over, with --strategy generation and
# fallback. Before each read a reader records what `stat` says was published; check_reads.py
# then verifies every read is a gap-free, duplicate-free prefix of the final log with the
# right values, that includes everything published before it began and ends on a
# transaction boundary. More work: SHAPELOG_CLI_STRESS_TXS=2000 ctest -R cli.concurrent_read
# The checker has teeth: SHAPELOG_CLI_READ_STRATEGIES="naive" SHAPELOG_CLI_STRESS_TXS=400
# makes the same test fail with stale reads (the seed's race, through the real binary).
source "$(dirname "$0")/lib.sh" "$@"

TXS=${SHAPELOG_CLI_STRESS_TXS:-80}
read -r -a STRATEGIES <<<"${SHAPELOG_CLI_READ_STRATEGIES:-generation fallback}"
OPS=3
mkdir "$TMP/reads"

step "self-test of the checker: it flags gaps, duplicates, wrong values, stale and torn reads"
"$PYTHON" "$CLI_TEST_DIR/check_reads.py" --self-test >/dev/null || fail "check_reads.py self-test failed"

append_tx() {  # append_tx TX [FLAGS...]
  local tx=$1 op values=(); shift
  for ((op = 0; op < OPS; op++)); do
    if ((op % 2 == 0)); then values+=("t$tx-o$op"); else values+=($((tx * 100 + op))); fi
  done
  "$SHAPELOG" --dir "$LOG" append -q "$@" "${values[@]}"
}

writer() {
  local tx
  for ((tx = 2; tx <= TXS; tx++)); do
    append_tx $tx --flush-threshold 1500 2>>"$TMP/writer.err" || echo "append $tx failed: $?" >>"$TMP/writer.err"
    if ((tx % 4 == 0)); then
      "$SHAPELOG" --dir "$LOG" flush >/dev/null 2>>"$TMP/writer.err" || echo "flush failed: $?" >>"$TMP/writer.err"
    fi
  done
  touch "$TMP/writer.done"
}

reader() {  # reader ID STRATEGY...: cycles through the strategies until the writer is done
  local id=$1; shift
  local strategies=("$@") i=0 last=0 stat_line strategy
  while ((last == 0)); do
    [[ -e $TMP/writer.done ]] && last=1   # one more full read after the writer finished
    strategy=${strategies[i % ${#strategies[@]}]}
    if ! stat_line=$("$SHAPELOG" --dir "$LOG" stat 2>>"$TMP/reader$id.err"); then
      echo "stat failed" >>"$TMP/reader$id.err"; return
    fi
    [[ $stat_line =~ \"last_seen\":\"([^\"]*)\" ]] || { echo "no last_seen in: $stat_line" >>"$TMP/reader$id.err"; return; }
    {
      echo "# ${BASH_REMATCH[1]}"
      "$SHAPELOG" --dir "$LOG" read --strategy "$strategy"
    } >"$TMP/reads/$id-$strategy-$i" 2>>"$TMP/reader$id.err" ||
      echo "read $i (--strategy $strategy) failed: $?" >>"$TMP/reader$id.err"
    i=$((i + 1))
  done
}

step "writer ($TXS transactions of $OPS entries) and 3 readers, concurrently"
append_tx 1 || fail "the first append failed"
writer & w=$!; track $w
# Reader 1 uses the first strategy, reader 2 the last, reader 3 alternates through all.
reader 1 "${STRATEGIES[0]}" & r1=$!; track $r1
reader 2 "${STRATEGIES[-1]}" & r2=$!; track $r2
reader 3 "${STRATEGIES[@]}" & r3=$!; track $r3
wait $w $r1 $r2 $r3
for f in "$TMP"/writer.err "$TMP"/reader*.err; do
  if [[ -s $f ]]; then head -20 "$f" >&2; fail "$(basename "$f" .err) reported errors"; fi
done

step "the final log, after a last flush"
expect_ok sl flush
expect_ok sl read
cp "$OUT" "$TMP/final"
expect_ok sl check
expect_json_field records $((TXS * OPS))

step "every read is a consistent prefix of the final log"
reads=("$TMP"/reads/*)
((${#reads[@]} >= 30)) || fail "only ${#reads[@]} reads ran; expected at least 30"
for strategy in "${STRATEGIES[@]}"; do
  compgen -G "$TMP/reads/*-$strategy-*" >/dev/null || fail "no read used --strategy $strategy"
done
LAST_CMD=""
"$PYTHON" "$CLI_TEST_DIR/check_reads.py" "$TMP/final" "$TXS" "$OPS" "${reads[@]}" ||
  fail "some reads were inconsistent (see BAD READ lines above)"
