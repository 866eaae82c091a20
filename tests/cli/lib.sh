# Shared helpers for the CLI tests. Each test script does:
#
#   source "$(dirname "$0")/lib.sh" "$@"     # $1: path to the shapelog binary
#
# and then gets: a fresh temp dir ($TMP, removed on exit, also the working directory), a log
# dir path ($LOG, not created), `sl` (shapelog with --dir $LOG) and `shapelog` (the bare
# binary), and the expect_* / fail / dir_checksum helpers below. A failed expectation prints
# what was run, what was expected and what happened, and exits 1.
set -euo pipefail
export LC_ALL=C.UTF-8

SHAPELOG=${1:?"usage: $0 PATH_TO_SHAPELOG"}
[[ -x $SHAPELOG ]] || { echo "FAIL: '$SHAPELOG' is not an executable shapelog binary" >&2; exit 1; }
SHAPELOG=$(cd "$(dirname "$SHAPELOG")" && pwd)/$(basename "$SHAPELOG")
TEST_NAME=$(basename "$0" .sh)
# shellcheck disable=SC2034  # used by the scripts that source this file
CLI_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

unset SHAPELOG_DIR
# The Debian python3 starts in 30 ms; a pyenv shim first on PATH can take 100+ ms.
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=$(command -v python3) || { echo "FAIL: python3 is needed" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shapelog-cli-$TEST_NAME.XXXXXX")
LOG=$TMP/log
OUT=$TMP/.stdout   # stdout of the last expect_exit
ERR=$TMP/.stderr   # stderr of the last expect_exit
LAST_CMD=""
BACKGROUND_PIDS=()

cleanup() {
  local status=$?
  local pid
  for pid in "${BACKGROUND_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  chmod -R u+rwX "$TMP" 2>/dev/null || true
  rm -rf "$TMP"
  if [[ $status -eq 0 ]]; then echo "PASS [$TEST_NAME]"; fi
  exit "$status"
}
trap cleanup EXIT
cd "$TMP"

# Remembers a background job so cleanup kills it if the test fails early.
track() { BACKGROUND_PIDS+=("$1"); }

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  if [[ -n $LAST_CMD ]]; then
    echo "  last command: $LAST_CMD" >&2
    if [[ -s $OUT ]]; then echo "  its stdout (first 20 lines):" >&2; head -n 20 "$OUT" | sed 's/^/    | /' >&2; fi
    if [[ -s $ERR ]]; then echo "  its stderr (first 20 lines):" >&2; head -n 20 "$ERR" | sed 's/^/    | /' >&2; fi
  fi
  exit 1
}

# A one-line heading in the test's output, so a failure shows which case it was in.
step() { echo "--- $*"; }

shapelog() { "$SHAPELOG" "$@"; }
sl() { "$SHAPELOG" --dir "$LOG" "$@"; }

# expect_exit CODE CMD...: runs CMD (stdin is the caller's), captures stdout in $OUT and
# stderr in $ERR, and fails unless it exits with CODE.
expect_exit() {
  local want=$1; shift
  LAST_CMD=$(printf '%q ' "$@")
  local got=0
  "$@" >"$OUT" 2>"$ERR" || got=$?
  if [[ $got -ne $want ]]; then fail "expected exit $want, got $got"; fi
}

# Shorthand: expect_ok CMD... == expect_exit 0 CMD...
expect_ok() { expect_exit 0 "$@"; }

# expect_stdout TEXT: the last command's stdout is exactly TEXT plus a final newline (or is
# empty when TEXT is empty).
expect_stdout() {
  local want=$1
  if [[ -z $want ]]; then
    [[ ! -s $OUT ]] || fail "expected empty stdout"
    return
  fi
  if ! diff -u <(printf '%s\n' "$want") "$OUT" >"$TMP/.diff"; then
    echo "  diff (expected vs actual):" >&2; sed 's/^/    /' "$TMP/.diff" >&2
    fail "stdout differs from what was expected"
  fi
}

expect_stdout_contains() {
  grep -qF -- "$1" "$OUT" || fail "expected stdout to contain: $1"
}

expect_stderr_contains() {
  local text
  for text in "$@"; do
    grep -qF -- "$text" "$ERR" || fail "expected stderr to contain: $text"
  done
}

expect_stderr_empty() {
  [[ ! -s $ERR ]] || fail "expected no message on stderr"
}

expect_stdout_lines() {
  local want=$1 got
  got=$(wc -l <"$OUT")
  [[ $got -eq $want ]] || fail "expected $want lines on stdout, got $got"
}

# dir_checksum DIR: one hash of everything that makes up the log: the SHAPELOG header, the
# segments, the index and any cut- files, each by name and contents (and the names of
# subdirectories). The lock file (rewritten by every writer with its pid) and the shared
# buffer (its header holds atomics that readers and writers touch) are left out; the buffer's
# entries are covered by comparing `read` output, see log_state.
dir_checksum() {
  local dir=$1
  if [[ ! -e $dir ]]; then echo "absent"; return; fi
  (
    cd "$dir"
    find . -mindepth 1 ! -name lock ! -name buffer -print0 | LC_ALL=C sort -z |
      while IFS= read -r -d '' f; do
        printf '%s\t' "$f"
        if [[ -f $f ]]; then sha256sum <"$f"; elif [[ -d $f ]]; then echo "(dir)"; else echo "(other)"; fi
      done
  ) | sha256sum | cut -d' ' -f1
}

# log_state: what "the log is unchanged" means for the tests: the files (dir_checksum), every
# entry as read (disk and buffer), and the published offsets.
log_state() {
  dir_checksum "$LOG"
  if [[ -e $LOG ]]; then
    sl read 2>&1 | sha256sum
    sl stat 2>&1 | grep -oE '"(last_seen|last_persisted|generation|entries|buffered_entries)":[^,]*' || true
  fi
}

# json_get FILE KEY: a top-level field of the one JSON object in FILE, printed as JSON.
json_get() {
  "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$1" "$2"
}

# expect_json_field KEY VALUE: the last command's stdout is a JSON object whose KEY is VALUE
# (VALUE written as JSON, e.g. '"3_1"' or 4).
expect_json_field() {
  local got
  got=$(json_get "$OUT" "$1") || fail "stdout is not a JSON object with field '$1'"
  [[ $got == "$2" ]] || fail "expected $1 = $2, got $got"
}

# wait_until TIMEOUT_S CMD...: polls CMD every 20 ms until it succeeds; fails after TIMEOUT_S.
wait_until() {
  local timeout=$1; shift
  local deadline=$((SECONDS + timeout + 1))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for: $*"
    sleep 0.02
  done
}
