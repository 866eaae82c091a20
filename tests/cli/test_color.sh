#!/usr/bin/env bash
# Colour: on a terminal a race, a wrong read and a failed verify stand out; --color
# always|never overrides, NO_COLOR turns auto off, and pipes and files never get escape codes.
source "$(dirname "$0")/lib.sh" "$@"

seed=$CLI_TEST_DIR/../../testdata/traces/seed-race.json
esc=$'\033'
has_escapes() { grep -q "$esc" "$1"; }

step "to a pipe or a file: no escape codes, whatever the command"
expect_exit 1 shapelog replay "$seed" --strategy all
! has_escapes "$OUT" || fail "escape codes in replay's output to a file"
expect_ok shapelog replay "$seed" --verify
! has_escapes "$OUT" || fail "escape codes in replay --verify's output to a file"
shapelog stress --strategy naive --chaos --reads 2000 --seed 3 >"$OUT" 2>"$ERR" || true  # a race or not
! has_escapes "$OUT" || fail "escape codes in stress's output to a file"

step "--color always: the race, the wrong read and a failed verify in red"
expect_exit 1 shapelog replay "$seed" --strategy naive --color always
expect_stdout_contains "outcome: ${esc}[1;31mrace"
expect_stdout_contains ": ${esc}[1;31mrace: missing 11_0, 11_1"
sed 's/"recheck": "ok"/"recheck": "race"/' "$seed" >wrong.json
expect_exit 1 shapelog --color always replay wrong.json --verify --quiet  # before the command too
expect_stdout_contains "verify: ${esc}[1;31mFAILED"
expect_stdout_contains "(${esc}[1;31mDIFFERS"
expect_ok shapelog replay "$seed" --strategy generation --color never
! has_escapes "$OUT" || fail "escape codes with --color never"

if command -v script >/dev/null; then
  step "on a terminal: colour by default, none with NO_COLOR or TERM=dumb"
  on_terminal() { script -qec "$(printf '%q ' "$@")" /dev/null >"$OUT" 2>&1 || true; }
  on_terminal "$SHAPELOG" replay "$seed" --verify --quiet
  has_escapes "$OUT" || fail "no colour on a terminal"
  on_terminal env NO_COLOR=1 "$SHAPELOG" replay "$seed" --verify --quiet
  ! has_escapes "$OUT" || fail "colour on a terminal with NO_COLOR=1"
  on_terminal env TERM=dumb "$SHAPELOG" replay "$seed" --verify --quiet
  ! has_escapes "$OUT" || fail "colour on a terminal with TERM=dumb"
  on_terminal env NO_COLOR=1 "$SHAPELOG" replay "$seed" --verify --quiet --color always
  has_escapes "$OUT" || fail "--color always did not override NO_COLOR"
fi

step "a --color value that does not exist: exit 2, naming the ones that do"
expect_exit 2 shapelog --color sometimes stat
expect_stderr_contains "sometimes" "auto" "always" "never"
