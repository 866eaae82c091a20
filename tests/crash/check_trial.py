#!/usr/bin/env python3
"""Checks one SIGKILL trial of sigkill.sh (stdlib only).

usage: check_trial.py SHAPELOG LOG_DIR JOURNAL TRIAL

The journal, written by the killed loop, has one line per event:
  S i     about to run the command that appends value i (it may have been killed in it)
  A i     `append` of value i returned 0 (published, maybe only in the buffer)
  AF i    `append --flush` of value i returned 0 (durable, with everything before it)
  F i     `flush` returned 0; every value up to i had been appended before it started
  X msg   a command failed (never expected)
Value i is the string "t<TRIAL>-<i>", appended at offset i_0.

Checks: `check` is clean, or reports only a torn tail / index problems that `check
--repair` fixes; the log holds exactly values 1..m in order (nothing duplicated, nothing
invented), with m >= every value a completed flush covered and m >= every published value;
a `flush` then persists them all (stat: last_persisted == last_seen, nothing buffered);
and an `append --flush` still works. Prints one line; exits 1 on a failure.
"""
import json
import os
import subprocess
import sys

shapelog, log, journal_path, trial = sys.argv[1:5]
problems = []
notes = []


def run(*args, expect=None):
    p = subprocess.run([shapelog, "--dir", log, *args], capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        problems.append(f"`shapelog {' '.join(args)}` exited {p.returncode}, expected {expect}: "
                        f"{p.stderr.strip()[:300]}")
    return p


def lines(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


started = published = durable = 0
with open(journal_path) as f:
    for raw in f:
        kind, _, rest = raw.strip().partition(" ")
        if kind == "X":
            problems.append(f"a command failed before the kill: {rest}")
            continue
        if not rest.isdigit():
            continue  # a line cut by the kill
        i = int(rest)
        if kind == "S":
            started = max(started, i)
        elif kind == "A":
            published = max(published, i)
        elif kind == "AF":
            published = max(published, i)
            durable = max(durable, i)
        elif kind == "F":
            durable = max(durable, i)

if not os.path.exists(os.path.join(log, "SHAPELOG")):
    # Killed before the first append created the log: nothing may have been promised.
    if published or durable:
        problems.append("the log directory is missing but appends returned 0")
    print(f"trial {trial}: {'FAIL' if problems else 'ok'} (killed before the log existed)")
    for p in problems:
        print(f"  {p}")
    sys.exit(1 if problems else 0)


def read_values():
    p = run("read", expect=0)
    values = []
    for entry in lines(p.stdout):
        values.append((entry["offset"], entry["value"]))
    return values


def verify_sequence(values, when, extra=0):
    m = len(values)
    for n, (offset, value) in enumerate(values, start=1):
        if offset != f"{n}_0" or value != f"t{trial}-{n}":
            problems.append(f"{when}: entry {n} is {offset}={value!r}, expected {n}_0="
                            f"'t{trial}-{n}' (lost, duplicated, reordered or invented)")
            return m
    if m < durable:
        problems.append(f"{when}: {m} entries, but a completed flush covered {durable}")
    if m < published:
        problems.append(f"{when}: {m} entries, but {published} appends had returned 0")
    if m > started + extra:
        problems.append(f"{when}: {m} entries, but only {started} appends were started")
    return m


# 1. check, and repair what a kill may leave (a torn tail, a stale index).
p = run("check")
if p.returncode == 1:
    found = [l for l in lines(p.stdout) if "problem" in l]
    kinds = sorted({l["problem"] for l in found})
    if any(k not in ("torn_tail", "index") for k in kinds):
        problems.append(f"check found damage a kill cannot cause: {found}")
    else:
        notes.append("repaired " + "+".join(kinds))
        run("check", "--repair", expect=0)
        run("check", expect=0)
elif p.returncode != 0:
    problems.append(f"check exited {p.returncode}: {p.stderr.strip()[:300]}")

# 2. Everything published is readable, in order, once.
before = read_values()
m = verify_sequence(before, "after the kill")

# 3. A flush persists it all.
run("flush", expect=0)
after = read_values()
if after != before:
    problems.append(f"the flush changed what reads return ({len(before)} -> {len(after)} entries)")
stat = lines(run("stat", expect=0).stdout or "{}")[0]
if m and (stat.get("last_persisted") != f"{m}_0" or stat.get("last_seen") != f"{m}_0"
          or stat.get("buffered_entries") != 0 or stat.get("persisted_entries") != m):
    problems.append(f"after the flush stat says {stat}, expected all {m} entries persisted")
run("check", expect=0)

# 4. Appends work afterwards.
nxt = m + 1
run("append", "-q", "--flush", f"t{trial}-{nxt}", expect=0)
verify_sequence(read_values(), "after one more append", extra=1)
if len(read_values()) != nxt:
    problems.append(f"the append after recovery did not land as entry {nxt}")

status = "FAIL" if problems else "ok"
print(f"trial {trial}: {status} ({m} entries held; {published} published, {durable} flushed, "
      f"{started} started{'; ' + ', '.join(notes) if notes else ''})")
for p in problems:
    print(f"  {p}")
sys.exit(1 if problems else 0)
