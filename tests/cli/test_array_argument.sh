#!/usr/bin/env bash
# append takes each VALUE argument verbatim: one argument is one entry, exactly its bytes.
# (Bound to a vector, CLI11 2.1.2 splits an argument like "[1,2]" into two values, drops "[]"
# and turns "{}" into no value at all; cmd_append.cpp collects the arguments itself.)
source "$(dirname "$0")/lib.sh" "$@"

args=(first '[1,2]' '[x]' '[]' '[ "a", "b" ]' '{"a":[1,2]}' '{}' 'a,b' 'two words' '%%' '' last)
expect_ok sl append -q "${args[@]}"
expect_ok sl read --format raw
printf '%s\n' "${args[@]}" >"$TMP/expected"
if ! cmp -s "$TMP/expected" "$OUT"; then
  echo "  expected:" >&2; sed 's/^/    /' "$TMP/expected" >&2
  fail "append arguments were not stored one entry each, byte for byte"
fi

step "JSON arguments are stored as JSON, the rest as strings"
expect_ok sl read --from 1_1 --to 1_3
expect_stdout '{"offset":"1_1","value":[1,2]}
{"offset":"1_2","value":"[x]"}
{"offset":"1_3","value":[]}'
expect_ok sl read --from 1_6 --to 1_7
expect_stdout '{"offset":"1_6","value":{}}
{"offset":"1_7","value":"a,b"}'

step "a lone '{}' or '[]' is one value, not 'no values' (which would read stdin)"
expect_ok sl append '{}' </dev/null
expect_stdout '{"offset":"2_0"}'
expect_ok sl append '[]' </dev/null
expect_stdout '{"offset":"3_0"}'

step "values after -- and around other flags, --dir after the values"
expect_ok sl append -q -- '[-1]' --x
expect_ok shapelog append -q '[a,b]' --dir "$LOG" '[c]'
expect_ok sl read --format raw --from 4_0
expect_stdout '[-1]
--x
[a,b]
[c]'
