#!/usr/bin/env python3
"""Checks the reads of test_concurrent_read.sh against the final log.

Usage: check_reads.py FINAL_JSONL TXS OPS READ_FILE...
       check_reads.py --self-test

The writer appended TXS transactions of OPS entries each; entry (tx, op) has the value
f"t{tx}-o{op}" for even ops and the JSON number tx * 100 + op for odd ops. Each READ_FILE
starts with a line "# LAST_SEEN" (what `stat` said was published just before the read
began) followed by the read's JSON Lines. A read is good when it is a prefix of the final
log (no gap, no duplicate, no wrong value), includes every entry published before it began
(not stale), and ends on a transaction boundary (transactions are visible whole).
Prints one line per bad read and a summary; exits 1 if any read is bad.
"""
import json
import sys


def expected_value(tx, op):
    return f"t{tx}-o{op}" if op % 2 == 0 else tx * 100 + op


def parse_offset(text):
    if text == "-1":
        return (0, -1)  # before all
    tx, op = text.split("_")
    return (int(tx), int(op))


def check_final(final, txs, ops):
    want = [(tx, op) for tx in range(1, txs + 1) for op in range(ops)]
    got = [parse_offset(row["offset"]) for row in final]
    if got != want:
        return f"the final log has {len(got)} entries, expected {len(want)} (1_0..{txs}_{ops - 1})"
    for row, (tx, op) in zip(final, want):
        if row["value"] != expected_value(tx, op):
            return f"the final log has a wrong value at {tx}_{op}: {row['value']!r}"
    return None


def check_read(lines, final, ops):
    """Returns None for a good read, else a reason."""
    if not lines or not lines[0].startswith("# "):
        return "no '# LAST_SEEN' header line"
    published = parse_offset(lines[0][2:].strip())
    rows = []
    for number, line in enumerate(lines[1:], start=1):
        try:
            rows.append(json.loads(line))
        except ValueError:
            return f"line {number} is not JSON: {line[:80]!r}"
    if len(rows) > len(final):
        return f"{len(rows)} entries, more than the final log's {len(final)}"
    for i, row in enumerate(rows):
        if row != final[i]:
            previous = final[i - 1]["offset"] if i else "-1"
            return (f"entry {i + 1} is {json.dumps(row)}, expected {json.dumps(final[i])} "
                    f"(gap, duplicate or wrong value after {previous})")
    last = parse_offset(rows[-1]["offset"]) if rows else (0, -1)
    if last < published:
        return (f"stale: ends at {rows[-1]['offset'] if rows else '-1'} but {lines[0][2:].strip()} "
                f"was published before the read began ({len(rows)} entries)")
    if rows and last[1] != ops - 1:
        return f"ends inside transaction {last[0]} (at {rows[-1]['offset']})"
    return None


def self_test():
    txs, ops = 3, 2
    final = [{"offset": f"{tx}_{op}", "value": expected_value(tx, op)}
             for tx in range(1, txs + 1) for op in range(ops)]
    line = [json.dumps(row, separators=(",", ":")) for row in final]
    assert check_final(final, txs, ops) is None
    assert check_final(final[:-1], txs, ops) is not None
    good = [["# -1"], ["# 1_1"] + line[:2], ["# 2_1"] + line[:6], ["# -1"] + line[:4]]
    bad = {
        "gap": ["# -1"] + line[:2] + line[3:4],
        "duplicate": ["# -1"] + line[:2] + line[1:2],
        "wrong value": ["# -1", line[0].replace("t1-o0", "t9-o0"), line[1]],
        "stale": ["# 3_1"] + line[:4],
        "stale empty": ["# 1_1"],
        "torn transaction": ["# -1"] + line[:3],
        "no header": line[:2],
        "not json": ["# -1", "{oops"],
    }
    for lines in good:
        assert check_read(lines, final, ops) is None, (lines, check_read(lines, final, ops))
    for name, lines in bad.items():
        assert check_read(lines, final, ops) is not None, f"the checker missed: {name}"
    print("check_reads.py self-test: ok")


def main(argv):
    if argv[1:] == ["--self-test"]:
        self_test()
        return 0
    final_path, txs, ops, *reads = argv[1:]
    txs, ops = int(txs), int(ops)
    final = [json.loads(line) for line in open(final_path, encoding="utf-8")]
    problem = check_final(final, txs, ops)
    if problem:
        print(f"bad final log: {problem}", file=sys.stderr)
        return 1
    bad = 0
    entries = 0
    for path in reads:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        entries += max(0, len(lines) - 1)
        reason = check_read(lines, final, ops)
        if reason:
            bad += 1
            if bad <= 20:
                print(f"BAD READ {path}: {reason}", file=sys.stderr)
    print(f"{len(reads)} reads ({entries} entries) checked, {bad} bad")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
