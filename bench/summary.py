#!/usr/bin/env python3
"""Prints bench/run.sh's summary: each figure with its baseline ratio, target and PASS/MISS.
Usage: summary.py RESULTS_FILE (lines "RESULT name value")."""
import sys

values = {}
with open(sys.argv[1]) as f:
    for line in f:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "RESULT":
            values[parts[1]] = float(parts[2])


def get(name):
    return values.get(name)


rows = []


def row(what, figure, target_text, ok):
    verdict = "-" if ok is None else ("PASS" if ok else "MISS")
    rows.append((what, figure, target_text, verdict))


def fmt_rate(v):
    return f"{v / 1e6:.2f} M/s" if v >= 1e6 else f"{v / 1e3:.1f} k/s"


v = get("append_flush.ratio")
if v is not None:
    row("append+flush 100 B x 1,000/tx vs write+fdatasync",
        f"{fmt_rate(get('append_flush.entries_per_s'))} entries, "
        f"{get('append_flush.mb_per_s') / 1e6:.1f} MB/s; ratio {v:.2f}", ">= 0.8", v >= 0.8)
    d = get("append_flush.default_threshold_ratio")
    row("  same, default flush_threshold (64 KiB)", f"ratio {d:.2f}", "(info)", None)
    c, b = get("append_flush.cpu_us_per_batch"), get("append_flush.baseline_cpu_us_per_batch")
    if c is not None:
        row("  CPU per batch of 1,000: log vs baseline", f"{c:.0f} us vs {b:.0f} us", "(info)", None)

v = get("buffer.append_tx1_ratio")
if v is not None:
    row("buffered append, 1 entry/tx vs memcpy",
        f"{fmt_rate(get('buffer.append_tx1_entries_per_s'))}; ratio {v:.3f}", "(report)", None)
    row("buffered append, 1,000 entries/tx vs memcpy",
        f"{fmt_rate(get('buffer.append_tx1000_entries_per_s'))}; ratio "
        f"{get('buffer.append_tx1000_ratio'):.3f}", "(report)", None)
    for where in ("start", "middle", "end", "all"):
        b, d = get(f"buffer.read_{where}_buffer_us"), get(f"buffer.read_{where}_disk_us")
        label = "all 100k entries" if where == "all" else f"1,000 entries at the {where}"
        row(f"read {label}: buffer vs disk (speed)", f"{b:.0f} us vs {d:.0f} us ({d / b:.2f}x)",
            ">= 1.00x", d / b >= 1.0)
        m = get(f"buffer.read_{where}_memcpy_us")
        if m is not None:
            row(f"read {label}: buffer time vs one memcpy of its bytes",
                f"{b:.0f} us vs {m:.0f} us ({b / m:.2f}x)", "<= 2x", b / m <= 2.0)

v = get("follow.latency_median_us")
if v is not None:
    row("read --follow: publish to line printed (median of 200)",
        f"{v:.0f} us (p99 {get('follow.latency_p99_us'):.0f} us)", "<= 1 ms", v <= 1000)
    c = get("follow.idle_cpu_pct")
    row("read --follow: CPU while idle", f"{c:.2f} % of a core", "<= 1 %", c <= 1.0)

b, d = get("cli.buffer_raw_ms"), get("cli.buffer_flushed_raw_ms")
if b is not None:
    row("read --format raw of 2 M buffered entries vs the same flushed (speed)",
        f"{b:.0f} ms vs {d:.0f} ms ({d / b:.2f}x)", ">= 1.00x", d / b >= 1.0)
    rss = get("cli.buffer_rss_kib")
    if rss is not None:
        row("  its peak RSS (256 MB of the ring's shared pages included)", f"{rss / 1024:.0f} MiB",
            "(info)", None)

for key, label in (("read1", "read of 1 buffered entry"), ("read10", "read of 10 buffered entries"),
                   ("append1", "append of a 1-entry tx")):
    v = get(f"yield.{key}_overhead_pct")
    if v is not None:
        row(f"yield hook, {label}",
            f"{get(f'yield.{key}_with_ns'):.1f} vs {get(f'yield.{key}_without_ns'):.1f} ns; "
            f"{v:+.2f} %", "< 2 %", v < 2.0)

for key, label in (("LogReaderread", "LogReader::read"), ("LogWriterappend", "LogWriter::append")):
    v = get(f"yield.ir_{key}_overhead_pct")
    if v is not None:
        row(f"yield hook, instructions in {label} (callgrind)", f"{v:+.2f} %", "< 2 %", v < 2.0)

v = get("replay.generated_steps_per_s")
if v is not None:
    row("replay, seed trace repeated (in process)",
        f"{fmt_rate(get('replay.seed_steps_per_s'))} steps, {get('replay.seed_us_per_run'):.1f} us/run",
        ">= 1 M steps/s", get("replay.seed_steps_per_s") >= 1e6)
    row(f"replay, generated {get('replay.generated_steps'):.0f}-step trace, open-ended reads",
        f"{fmt_rate(v)} steps, {get('replay.generated_seconds'):.2f} s", ">= 1 M steps/s", v >= 1e6)
    b = get("replay.bounded_steps_per_s")
    row(f"replay, generated {get('replay.bounded_steps'):.0f}-step trace, bounded reads",
        f"{fmt_rate(b)} steps", ">= 1 M steps/s", b >= 1e6)
for name, label in (("cli.replay_generated_ms", "shapelog replay (open-ended) --quiet"),
                    ("cli.replay_generated_bounded_ms", "shapelog replay (bounded) --quiet"),
                    ("cli.replay_bounded_timeline_ms", "shapelog replay (bounded), timeline")):
    v = get(name)
    if v is not None:
        row(label, f"{v / 1000:.2f} s", "(info)", None)

s = get("big.read_start_ms")
if s is not None:
    row(f"build the log ({get('big.entries') / 1e6:.0f} M entries via CLI append)",
        f"{get('big.build_s'):.1f} s", "(info)", None)
    row("read --from X --limit 1000, start", f"{s:.1f} ms", "(baseline)", None)
    for where in ("middle", "end"):
        v = get(f"big.read_{where}_ms")
        row(f"read --from X --limit 1000, {where}/start", f"{v:.1f} ms; ratio {v / s:.2f}", "<= 2",
            v / s <= 2)
    v = get("big.read_last_ms")
    row("read --last 1000 / start", f"{v:.1f} ms; ratio {v / s:.2f}", "(info)", None)
    raw, cat, seg = get("big.full_raw_ms"), get("big.cat_ms"), get("big.seg_bytes")
    row("full read --format raw vs cat of the segments",
        f"{seg / raw / 1e3:.0f} vs {seg / cat / 1e3:.0f} MB/s of segment; ratio {cat / raw:.2f}",
        ">= 0.8", cat / raw >= 0.8)
    jsonl = get("big.full_jsonl_ms")
    if jsonl is not None:
        row("full read as JSON Lines",
            f"{jsonl / 1e3:.2f} s; {raw / jsonl:.2f} of the raw read's speed", ">= 0.5",
            raw / jsonl >= 0.5)
    rss = get("big.rss_raw_kib")
    if rss is not None:
        row("peak RSS of a full read (raw)", f"{rss / 1024:.1f} MiB", "<= 64 MiB", rss <= 64 * 1024)
        row("peak RSS of a full read (jsonl)", f"{get('big.rss_jsonl_kib') / 1024:.1f} MiB",
            "<= 64 MiB", get("big.rss_jsonl_kib") <= 64 * 1024)
    else:
        row("peak RSS of a full read", "not measured (/usr/bin/time missing)", "<= 64 MiB", None)

v = get("explore.seed_generation_schedules_per_s")
if v is not None:
    for strategy in ("naive", "recheck", "fallback", "generation"):
        r = get(f"explore.seed_{strategy}_schedules_per_s")
        w = get(f"explore.seed_{strategy}_whole_schedules_per_s")
        row(f"explore seed trace, {strategy} (complete search per read)",
            f"{fmt_rate(r)} schedules, {get(f'explore.seed_{strategy}_schedules'):.0f} schedules "
            f"in {get(f'explore.seed_{strategy}_search_us'):.0f} us"
            + (f"; whole trace {fmt_rate(w)}" if w is not None else ""),
            ">= 100 k schedules/s", r >= 1e5)
    worst = get("explore.ratio_worst")
    if worst is not None:
        row("explore schedules / classes, worst testdata trace (per read)", f"{worst:.2f}",
            "<= 2", worst <= 2)
    for key, label in (("four", "four-readers.json"), ("clients", "two-clients.json")):
        for strategy in ("naive", "recheck", "fallback", "generation"):
            t = get(f"explore.{key}_{strategy}_seconds")
            if t is None:
                continue
            decided = get(f"explore.{key}_{strategy}_race") == 1 or \
                get(f"explore.{key}_{strategy}_complete") == 1
            row(f"explore {label}, {strategy}: decided completely",
                f"{t * 1e3:.2f} ms", "<= 0.1 s", decided and t <= 0.1)
    for strategy in ("naive", "recheck", "fallback", "generation"):
        t = get(f"explore.generated_{strategy}_seconds")
        if t is None:
            continue
        race = get(f"explore.generated_{strategy}_race") == 1
        if strategy in ("naive", "recheck"):
            row(f"explore generated 24-op x 8x4-read trace, {strategy}: race found, minimized",
                f"{t:.3f} s", "<= 1 s", race and t <= 1)
        else:
            done = get(f"explore.generated_{strategy}_complete") == 1 and not race
            row(f"explore generated 24-op x 8x4-read trace, {strategy}: ruled out",
                f"{t:.3f} s", "<= 10 s", done and t <= 10)
    k = 1
    while get(f"explore.three_k{k}_ratio") is not None:
        r = get(f"explore.three_k{k}_ratio")
        row(f"explore whole trace, three readers, bound {k}: schedules without / with sleep sets",
            f"{get(f'explore.three_k{k}_without'):.0f} / {get(f'explore.three_k{k}_with'):.0f} "
            f"= {r:.1f}x", ">= 10x", r >= 10)
        k += 1

v = get("stress.naive_chaos_first_bad_median_s")
if v is not None:
    row("stress naive --chaos: median time to the first bad read (10 seeds)",
        f"{v:.3f} s (max {get('stress.naive_chaos_first_bad_max_s'):.3f} s)", "<= 1 s", v <= 1)
    for strategy in ("generation", "fallback"):
        reads, bad = get(f"stress.{strategy}_reads"), get(f"stress.{strategy}_bad_reads")
        rate = get(f"stress.{strategy}_reads_per_s")
        row(f"stress {strategy}, 4 readers: bad reads",
            f"{bad:.0f} in {reads / 1e6:.2f} M reads ({fmt_rate(rate)}); 10 M would take "
            f"{1e7 / rate:.0f} s" + ("" if reads >= 1e7 else " (partial run: STRESS_READS=10000000)"),
            "0 in >= 10 M", False if bad > 0 else (True if reads >= 1e7 else None))
    a, b = get("stress.record_reads_per_s"), get("stress.norecord_reads_per_s")
    row("stress recording overhead: reads/s with / without recording",
        f"{fmt_rate(a)} / {fmt_rate(b)} = {a / b:.2f}", "(report)", None)

# bench_peers: one row per workload, every store's ratio to the raw I/O (higher is faster).
PEERS = ("shapelog", "leveldb", "rocksdb", "sqlite")
PEER_NAMES = {"shapelog": "shapelog", "leveldb": "LevelDB", "rocksdb": "RocksDB", "sqlite": "SQLite"}


def peer_row(what, prefix, unit):
    cells = []
    for store in PEERS:
        us, ratio = get(f"{prefix}.{store}_us"), get(f"{prefix}.{store}_ratio")
        if us is not None:
            figure = f"{us / 1e3:.1f} ms" if unit == "ms" else f"{us:.0f} us"
            cells.append(f"{PEER_NAMES[store]} {figure} ({ratio:.3f}x)" if ratio < 0.1
                         else f"{PEER_NAMES[store]} {figure} ({ratio:.2f}x)")
    if cells:
        row(what, ", ".join(cells), "(report)", None)


for size in (1, 100, 1000):
    peer_row(f"peers: durable append, batches of {size:,}, vs write+fdatasync",
             f"peers.append_b{size}", "us")
sizes = sorted({int(name.split(".")[1][1:]) for name in values
                if name.startswith("peers.n") and name.split(".")[1][1:].isdigit()})
for n in sizes:
    for where in ("start", "middle", "end"):
        place = "in the middle" if where == "middle" else f"at the {where}"
        peer_row(f"peers: 1,000 entries {place} of {n:,}, vs pread", f"peers.n{n}.{where}", "us")
    peer_row(f"peers: full scan of {n:,}, vs read", f"peers.n{n}.scan", "ms")
peer_row("peers: newest 1,000 while a writer appends, vs pread", "peers.newest", "us")

t = get("total.seconds")
widths = [max(len(r[i]) for r in rows + [("benchmark", "figure", "target", "verdict")]) for i in range(4)]
header = ("benchmark", "figure", "target", "verdict")
print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
print("-" * (sum(widths) + 6))
for r in rows:
    print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
misses = sum(1 for r in rows if r[3] == "MISS")
print(f"\n{sum(1 for r in rows if r[3] == 'PASS')} PASS, {misses} MISS"
      + (f"; run.sh took {t:.0f} s" if t is not None else ""))
