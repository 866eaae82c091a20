#!/usr/bin/env bash
# Bad append input: non-UTF-8 bytes (named by line and byte), a NUL byte without -0, the
# same in NUL-separated records and arguments; exit 2, and nothing appended.
source "$(dirname "$0")/lib.sh" "$@"

expect_ok sl append -q --flush first
expect_ok sl append -q buffered
before=$(log_state)
unchanged() { [[ $(log_state) == "$before" ]] || fail "rejected input changed the log"; }

step "non-UTF-8 on line 3 of stdin"
printf 'ok one\nok two\nbad \xff byte\nok four\n' | expect_exit 2 sl append
expect_stderr_contains "line 3" "UTF-8" "byte 5" "nothing was appended"
expect_stdout ""
unchanged

step "invalid UTF-8 forms: lone continuation, overlong, surrogate, truncated sequence"
for bytes in '\x80' '\xc0\xaf' '\xed\xa0\x80' '\xe6\x97' '\xf4\x90\x80\x80' 'end\xc3'; do
  # shellcheck disable=SC2059  # the escapes in $bytes are for printf
  printf "good\\n$bytes\\n" | expect_exit 2 sl append
  expect_stderr_contains "line 2" "UTF-8"
done
unchanged

step "non-UTF-8 in a -0 record and in an argument"
printf 'a\0b\xfe\0' | expect_exit 2 sl append -0
expect_stderr_contains "record 2" "UTF-8"
expect_exit 2 sl append ok "$(printf 'x\xffy')"
expect_stderr_contains "argument 2" "UTF-8"
unchanged

step "a NUL byte in a line without -0"
printf 'one\ntwo\nth\0ree\n' | expect_exit 2 sl append
expect_stderr_contains "line 3" "NUL" "-0" "nothing was appended"
printf '\0\n' | expect_exit 2 sl append
expect_stderr_contains "line 1" "NUL"
unchanged

step "the same input with -0 is fine where NUL separates the values"
printf 'one\0th\nree\0' | expect_ok sl append -0
expect_ok sl read --format raw --last 2 -0
printf 'one\0th\nree\0' | cmp - "$OUT" || fail "-0 values differ"

step "an error after many good lines still appends nothing"
before=$(log_state)
{ seq 1 5000; printf '\xff\n'; } | expect_exit 2 sl append
expect_stderr_contains "line 5001"
unchanged

step "a rejected append with --flush does not flush either"
printf 'a\n\xff\n' | expect_exit 2 sl append --flush
unchanged
