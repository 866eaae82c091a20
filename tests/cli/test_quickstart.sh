#!/usr/bin/env bash
# The README's quick start: `./dev.sh main` ends with `./dev.sh seed`, the seed race replayed
# under every strategy. It must exit 0 when every outcome is the one the trace expects (the
# naive race included) and end with the outcome table and the verify result; and replay's
# exit status must keep the meaning the quick start relies on.
source "$(dirname "$0")/lib.sh" "$@"

repo=$(cd "$CLI_TEST_DIR/../.." && pwd)
seed=$repo/testdata/traces/seed-race.json

step "./dev.sh seed: exit 0, ending with the table and the verify result"
expect_ok bash "$repo/dev.sh" seed "$SHAPELOG"
tail -n 6 "$OUT" >"$TMP/last"
diff -u - "$TMP/last" <<'EOF' || fail "the quick start's last lines differ from the README's"
strategy     outcome  bad reads  expected
naive        race     1/1        race (matches)
recheck      ok       0/1        ok (matches)
fallback     ok       0/1        ok (matches)
generation   ok       0/1        ok (matches)
verify: ok, all 4 outcomes are the ones the trace expects
EOF
expect_stdout_contains "read.snapshot"  # the timelines come first

step "replay without --verify: exit 1 when any strategy races, 0 when none does"
expect_exit 1 shapelog replay "$seed" --strategy all --quiet
expect_exit 1 shapelog replay "$seed" --strategy naive --quiet
expect_ok shapelog replay "$seed" --strategy generation --quiet

step "replay --verify: exit 1 and a FAILED line naming the strategy whose outcome differs"
sed 's/"recheck": "ok"/"recheck": "race"/' "$seed" >"$TMP/wrong-expect.json"
expect_exit 1 shapelog replay "$TMP/wrong-expect.json" --verify --quiet
expect_stdout_contains "recheck      ok       0/1        race (DIFFERS)"
expect_stdout_contains "verify: FAILED, 1 of 4 outcomes differ from the trace's expect table: recheck (expected race, got ok)"
expect_exit 1 shapelog replay "$TMP/wrong-expect.json" --verify --json
expect_json_field verified false
expect_ok shapelog replay "$seed" --verify --json
expect_json_field verified true
