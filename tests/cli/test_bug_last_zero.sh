#!/usr/bin/env bash
# KNOWN BUG (open, failing on purpose until fixed): `read --last 0` prints the last entry
# instead of nothing. LogReader::offset_from_end(0) returns the last offset and cmd_read
# makes the range start there, inclusive.
#   shapelog append a b c; shapelog read --last 0
#   expected: no output, exit 0        actual: {"offset":"1_2","value":"c"}
# (--limit 0 correctly prints nothing.) A fix in cmd_read.cpp: treat --last 0 as an empty
# range (or make offset_from_end(0) return the end so the range is exclusive of it).
source "$(dirname "$0")/lib.sh" "$@"

expect_ok sl append -q a b c
expect_ok sl read --limit 0
expect_stdout ""
expect_ok sl read --last 0
[[ ! -s $OUT ]] || fail "KNOWN BUG: read --last 0 printed $(wc -l <"$OUT") entr(y/ies) instead of none"
expect_ok sl flush
expect_ok sl read --last 0
[[ ! -s $OUT ]] || fail "KNOWN BUG: read --last 0 (after flush) printed entries instead of none"
