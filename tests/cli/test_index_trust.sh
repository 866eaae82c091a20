#!/usr/bin/env bash
# The offset index is derived data that readers check before they follow it: an index that
# belongs to another log (or to another state of this one) gives one warning naming the
# problem and 'check --repair', and every read prints what it prints with no index at all.
# Reading never changes the log's files; a writer or check --repair rebuilds the index.
source "$(dirname "$0")/lib.sh" "$@"

# lines N TEXT: N lines of TEXT
lines() { awk -v n="$1" -v text="$2" 'BEGIN { for (i = 0; i < n; i++) print text }'; }
A=$TMP/A
lines 3000 1 | shapelog --dir "$A" append -q --flush
# Other logs: longer records; the same first records but longer ones after; shorter records.
lines 3000 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | shapelog --dir "$TMP/B" append -q --flush
{ lines 5 1; lines 4000 1234567; } | shapelog --dir "$TMP/C" append -q --flush
lines 2000 '' | shapelog --dir "$TMP/D" append -q --flush
cp -r "$A" "$TMP/bare" && rm "$TMP/bare/index"

# reads_agree: the same reads on A and on A without its index print the same, exit 0, and
# A's files stay as they were; $warnings counts the warning lines on A's side.
reads_agree() {
  local before flags
  before=$(dir_checksum "$A")
  warnings=0
  for flags in "--from 1_200 --limit 2" "--from 1_1000 --to 1_1003" "--after 1_2990" "--last 3" \
               "--from 1_0 --limit 1" "--after 1_1500 --format raw --limit 4" ""; do
    # shellcheck disable=SC2086
    expect_ok shapelog --dir "$TMP/bare" read $flags
    cp "$OUT" "$TMP/want"
    # shellcheck disable=SC2086
    expect_ok shapelog --dir "$A" read $flags
    cmp -s "$OUT" "$TMP/want" || fail "read $flags differs from the read without an index"
    warnings=$((warnings + $(grep -c "warning: the offset index does not match the log" "$ERR" || true)))
  done
  expect_ok shapelog --dir "$A" stat
  expect_json_field entries 3000
  expect_json_field last_persisted '"1_2999"'
  [[ $(dir_checksum "$A") == "$before" ]] || fail "reading changed the log's files"
}

step "the issue's case: B's index in A; read --from 1_200 prints 1_200 and 1_201"
cp "$TMP/B/index" "$A/index"
expect_ok shapelog --dir "$A" read --from 1_200 --limit 2
expect_stdout '{"offset":"1_200","value":1}
{"offset":"1_201","value":1}'
expect_stderr_contains "warning: the offset index does not match the log: index entry" \
  "run 'shapelog check --repair' to rebuild the index"
[[ $(grep -c warning "$ERR") -eq 1 ]] || fail "expected exactly one warning"
reads_agree
((warnings > 0)) || fail "B's index in A was never reported"

for other in B C D; do
  step "$other's index in A: every read as without an index"
  cp "$TMP/$other/index" "$A/index"
  reads_agree
done

step "A's index cut short, zero-filled, or of another magic: every read as without an index"
cp "$TMP/B/index" "$A/index"
expect_ok shapelog --dir "$A" check --repair   # rebuilds A's own
cp "$A/index" "$TMP/own-index"
head -c 1000 "$TMP/own-index" >"$A/index"
reads_agree
((warnings == 0)) || fail "a shorter index is only behind, not wrong"
truncate -s 0 "$A/index" && truncate -s 1928 "$A/index"
reads_agree
((warnings > 0)) || fail "a zero-filled index was not reported"
{ printf 'SLIDX999'; tail -c +9 "$TMP/own-index"; } >"$A/index"
reads_agree

step "check names the index; check --repair rebuilds it, and then nothing is reported"
cp "$TMP/B/index" "$A/index"
expect_exit 1 shapelog --dir "$A" check
expect_stdout_contains '"problem":"index"'
expect_ok shapelog --dir "$A" check --repair
cmp -s "$A/index" "$TMP/own-index" || fail "check --repair did not rebuild A's own index"
reads_agree
((warnings == 0)) || fail "a rebuilt index was reported"

step "a writer rebuilds an index of another log"
cp "$TMP/B/index" "$A/index"
expect_ok shapelog --dir "$A" flush
expect_stderr_contains "warning: the offset index did not match the segments from entry 1 on; rebuilt"
cmp -s "$A/index" "$TMP/own-index" || fail "the writer kept B's index"
reads_agree
((warnings == 0)) || fail "the writer's index was reported"
echo "index trust: all passed"
