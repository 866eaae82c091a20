#!/usr/bin/env python3
"""Medians over several runs of bench_peers, as the Markdown table of BENCHMARKS.md ("Peers").
Usage: peers_table.py OUTPUT... (each the output of one bench_peers run; its RESULT lines count).
Each cell: the median time, and the median ratio to the raw I/O with the runs' range. The raw
column: the median of the baseline's times, measured beside each store (time x ratio)."""
import statistics
import sys

STORES = (("shapelog", "shapelog"), ("leveldb", "LevelDB"), ("rocksdb", "RocksDB"),
          ("sqlite", "SQLite"))

runs = []
for path in sys.argv[1:]:
    values = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "RESULT" and parts[1].startswith("peers."):
                values[parts[1]] = float(parts[2])
    runs.append(values)
if not runs:
    sys.exit("usage: peers_table.py OUTPUT...")


def time_text(us, unit):
    return f"{us / 1e3:,.1f} ms" if unit == "ms" else f"{us:,.0f} µs" if us >= 10 else f"{us:.1f} µs"


def ratio_text(r):
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


def cell(prefix, store, unit):
    times = [r[f"{prefix}.{store}_us"] for r in runs if f"{prefix}.{store}_us" in r]
    ratios = [r[f"{prefix}.{store}_ratio"] for r in runs if f"{prefix}.{store}_ratio" in r]
    if not times:
        return "-"
    spread = f" ({ratio_text(min(ratios))}-{ratio_text(max(ratios))})" if len(ratios) > 1 else ""
    return (f"{time_text(statistics.median(times), unit)}, "
            f"**{ratio_text(statistics.median(ratios))}×**{spread}")


def raw_cell(prefix, unit):
    raw = [r[f"{prefix}.{s}_us"] * r[f"{prefix}.{s}_ratio"] for r in runs for s, _ in STORES
           if f"{prefix}.{s}_us" in r]
    return time_text(statistics.median(raw), unit) if raw else "-"


rows = [(f"durable append, batches of {b:,}", f"peers.append_b{b}", "us") for b in (1, 100, 1000)]
sizes = sorted({int(k.split(".")[1][1:]) for r in runs for k in r
                if k.split(".")[1].startswith("n") and k.split(".")[1][1:].isdigit()})
for n in sizes:
    label = f"{n / 1e6:g} M" if n >= 1e6 else f"{n:,}"
    for where in ("start", "middle", "end"):
        rows.append((f"1,000 entries {'in the' if where == 'middle' else 'at the'} {where}, {label}-entry log", f"peers.n{n}.{where}", "us"))
    rows.append((f"full scan, {label}-entry log", f"peers.n{n}.scan", "ms"))
rows.append(("newest 1,000 while a writer appends", "peers.newest", "us"))

print("| workload | raw I/O | " + " | ".join(name for _, name in STORES) + " |")
print("|---|---|" + "---|" * len(STORES))
for what, prefix, unit in rows:
    print(f"| {what} | {raw_cell(prefix, unit)} | "
          + " | ".join(cell(prefix, key, unit) for key, _ in STORES) + " |")
print(f"\n(medians of {len(runs)} run{'s' if len(runs) != 1 else ''}; in brackets the range of the "
      "runs' ratios)")
