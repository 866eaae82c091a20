#!/usr/bin/env bash
# Every file in the bad-trace folder must make `replay` exit 2 with a message that names
# the file; anything else (exit 0/1, a crash, a hang) fails.
set -uo pipefail
shapelog=$1
folder=$2
failures=0
count=0
for trace in "$folder"/*.json; do
  count=$((count + 1))
  stderr=$(timeout 10 "$shapelog" replay "$trace" 2>&1 >/dev/null)
  status=$?
  name=$(basename "$trace")
  if [ "$status" -ne 2 ]; then
    echo "FAIL $name: exit $status, expected 2: $stderr"
    failures=$((failures + 1))
  elif ! grep -qF "$name" <<<"$stderr"; then
    echo "FAIL $name: the message does not name the file: $stderr"
    failures=$((failures + 1))
  fi
done
# Files that are not traces at all.
for extra in /nonexistent/trace.json "$folder"; do
  count=$((count + 1))
  "$shapelog" replay "$extra" >/dev/null 2>&1
  status=$?
  if [ "$status" -ne 2 ]; then
    echo "FAIL $extra: exit $status, expected 2"
    failures=$((failures + 1))
  fi
done
echo "$((count - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
