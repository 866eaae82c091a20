#!/usr/bin/env bash
# --format raw prints the appended bytes exactly: spaces, tabs, quotes, backslashes, unicode,
# JSON with its original spacing; the same before and after flush.
source "$(dirname "$0")/lib.sh" "$@"

values=(
  'hello world'
  '  leading and trailing  '
  $'tab\tinside'
  'quote " and backslash \ and \n literal'
  'héllo wörld ñ'
  '日本語のテキスト'
  'emoji 🎉 and 𝄞 (4-byte)'
  '{"a":  1,   "b": [ 1 , 2 ]}'
  ' 42 '
  '"json string with spaces"'
  ''
  'zero-width​joiner‍and combining é'
)
printf '%s\n' "${values[@]}" >"$TMP/expected"

step "raw output of argument values is byte-identical"
expect_ok sl append -q "${values[@]}"
expect_ok sl read --format raw
cmp "$TMP/expected" "$OUT" || fail "raw output differs from the appended arguments"

step "raw output of stdin values is byte-identical"
expect_ok sl append -q <"$TMP/expected"
expect_ok sl read --format raw --from 2
cmp "$TMP/expected" "$OUT" || fail "raw output differs from the appended stdin lines"

step "jsonl output decodes to the same strings (JSON values to their text)"
expect_ok sl read --from 2
"$PYTHON" - "$OUT" "$TMP/expected" <<'PY' || fail "jsonl values do not match the appended bytes"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
want = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
assert len(lines) == len(want), (len(lines), len(want))
for line, value in zip(lines, want):
    obj = json.loads(line)
    try:
        parsed = json.loads(value)
    except ValueError:
        assert obj["value"] == value, (obj, value)
        continue
    # A JSON value comes back as the same JSON.
    assert obj["value"] == parsed, (obj, value)
PY

step "raw output is the same after flush, and with -0"
expect_ok sl flush
expect_ok sl read --format raw --from 2
cmp "$TMP/expected" "$OUT" || fail "raw output changed after flush"
expect_ok sl read --format raw -0 --from 2
printf '%s\0' "${values[@]}" | cmp - "$OUT" || fail "raw -0 output differs"

step "a large value with spaces round-trips"
big=$(head -c 300000 /dev/zero | tr '\0' 'x' | sed 's/xxxxxxxxxx/ é 日 x /g')
printf '%s\n' "$big" | expect_ok sl append -q
expect_ok sl read --format raw --last 1
printf '%s\n' "$big" | cmp - "$OUT" || fail "a large raw value differs"

step "a buffer larger than one read's copy limit (4 MiB) is read whole, in pieces"
"$PYTHON" -c "
import sys
for i in range(60000): sys.stdout.write('v%06d-' % i + 'y' * 92 + '\n')
" >"$TMP/many"
expect_ok "$SHAPELOG" --dir "$TMP/big" append -q --buffer-capacity 16777216 --flush-threshold 0 <"$TMP/many"
expect_ok "$SHAPELOG" --dir "$TMP/big" stat
expect_stdout_contains '"buffered_entries":60000'
expect_ok "$SHAPELOG" --dir "$TMP/big" read --format raw
cmp "$TMP/many" "$OUT" || fail "a raw read of a large buffer differs from what was appended"
expect_ok "$SHAPELOG" --dir "$TMP/big" read --format raw --from 1_100 --limit 50000
sed -n '101,50100p' "$TMP/many" | cmp - "$OUT" || fail "a limited read across pieces differs"
expect_ok "$SHAPELOG" --dir "$TMP/big" read --format raw --last 50000
tail -n 50000 "$TMP/many" | cmp - "$OUT" || fail "--last over a large buffer differs"
