#!/usr/bin/env bash
# shapelog --version and shapelog version --json say what the binary is and was built from,
# and the outputs a bug report would paste (stat, replay --json, stress --json) carry it.
source "$(dirname "$0")/lib.sh" "$@"

step "version --json: every field, the formats as the log and the traces write them"
expect_ok shapelog version --json
cp "$OUT" version.json
version=$(json_get version.json version)
[[ $version =~ ^\"[0-9]+\.[0-9]+\.[0-9]+\"$ ]] || fail "version is $version"
commit=$(json_get version.json commit)
[[ $commit =~ ^\"([0-9a-f]{40}|unknown)\"$ ]] || fail "commit is $commit"
for field in dirty compiler build_type; do json_get version.json $field >/dev/null || fail "no $field"; done
expect_ok sl append -q x
[[ $(json_get version.json log_format) == "\"$(head -n 1 "$LOG/SHAPELOG")\"" ]] ||
  fail "log_format is not what $LOG/SHAPELOG says"
grep -qF "\"format\": $(json_get version.json trace_format)" "$CLI_TEST_DIR/../../testdata/traces/seed-race.json" ||
  fail "trace_format is not the one the traces use"

step "--version and version: the same, first line 'shapelog VERSION'"
expect_ok shapelog --version
head -n 1 "$OUT" | grep -qx "shapelog ${version//\"/}" || fail "first line is not 'shapelog $version'"
expect_stdout_contains "commit ${commit//\"/}"
cp "$OUT" flag.txt
expect_ok shapelog version
diff -u flag.txt "$OUT" || fail "shapelog version differs from shapelog --version"
expect_stderr_empty

step "stat, replay --json and stress --json carry the version and the commit"
stamp="{\"commit\": $commit, \"version\": $version}"
expect_ok sl stat
[[ $(json_get "$OUT" shapelog) == "$stamp" ]] || fail "stat's shapelog field is not $stamp"
expect_exit 1 shapelog replay "$CLI_TEST_DIR/../../testdata/traces/seed-race.json" --strategy all --json
[[ $(json_get "$OUT" shapelog) == "$stamp" ]] || fail "replay's shapelog field is not $stamp"
expect_ok shapelog stress --strategy generation --reads 20 --json
[[ $(json_get "$OUT" shapelog) == "$stamp" ]] || fail "stress's shapelog field is not $stamp"

step "version takes no value"
expect_exit 2 shapelog version extra
