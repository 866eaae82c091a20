#!/usr/bin/env python3
"""Writes an Electric PureFileStorage shape directory from the format reference
(../shared/electric-shape-log.md; Electric's pure_file_storage/log_file.ex, chunk_index.ex,
write_loop.ex, snapshot.ex): log records, the chunk index cut as the live writer cuts it (a
chunk closes after the record that brings its json bytes to the threshold), ETF metadata and
initial-snapshot chunks. --damage then breaks one thing, for `shapelog electric check`.

  make_shape.py SHAPE_DIR [--records N] [--json-bytes B] [--chunk-bytes T]
                [--snapshot-chunks K] [--damage KIND]
  make_shape.py --storage STORAGE_DIR --handle H [...]   # writes STORAGE/default/H[0:2]/H[2:4]/H
"""
import argparse
import json
import os
import struct
import sys

DAMAGE = ["torn", "torn_unpersisted", "huge_size", "offset_order", "op_type", "bad_json",
          "chunk_misaligned", "chunk_min", "chunk_gap", "chunk_half_middle", "chunk_odd_length",
          "chunk_past_log", "unpersisted_tail", "live_tail", "metadata_bad", "version",
          "etf_deep", "etf_deep_small", "snapshot_unterminated", "persisted_missing"]


# --- ETF, as :erlang.term_to_binary writes it (OTP >= 26 atoms: SMALL_ATOM_UTF8_EXT) ---
def atom(name):
    b = name.encode()
    return b"\x77" + bytes([len(b)]) + b


def integer(n):
    if 0 <= n <= 255:
        return b"\x61" + bytes([n])
    if -2**31 <= n < 2**31:
        return b"\x62" + struct.pack(">i", n)
    mag = abs(n)
    digits = mag.to_bytes((mag.bit_length() + 7) // 8, "little")
    return b"\x6e" + bytes([len(digits), 1 if n < 0 else 0]) + digits


def binary(b):
    return b"\x6d" + struct.pack(">I", len(b)) + b


def log_offset(tx, op):
    op_term = atom("infinity") if op == "infinity" else integer(op)
    return (b"\x74" + struct.pack(">I", 3) + atom("__struct__") +
            atom("Elixir.Electric.Replication.LogOffset") + atom("op_offset") + op_term +
            atom("tx_offset") + integer(tx))


def term(body):
    return b"\x83" + body


# --- records and chunks ---
def record(tx, op, key, op_type, json, json_size=None, flag=0):
    k = key.encode()
    return (struct.pack(">QQI", tx, op, len(k)) + k + bytes([op_type, flag]) +
            struct.pack(">Q", len(json) if json_size is None else json_size) + json)


def half(tx, op, pos):
    return struct.pack(">QQQQ", tx, op, pos, 0)


def build(args, sink=None):
    """The records (offset, position, bytes) and chunks. With sink, each record's bytes go
    there instead of into the list (for logs too large to hold)."""
    records, chunks = [], []  # chunks: [opening half, closing half or None]
    pos, in_chunk, open_chunk = 0, 0, None
    base_tx = 2**32 + 1000  # LSNs past 2^32, as real ones are
    for i in range(args.records):
        tx, op = base_tx + i // 3, (i % 3) * 2  # three ops per transaction, gaps in op
        op_type = b"iud"[i % 3] if i % 50 else ord("c")
        key = "" if op_type == ord("c") else f'"public"."items"/"{i}"'
        if op_type == ord("c"):
            head, tail = '{"headers":{"control":"snapshot-end"},"pad":"', '"}'
        else:
            op_name = {ord("i"): "insert", ord("u"): "update", ord("d"): "delete"}[op_type]
            head = '{"key":%s,"value":{"id":"%d","v":"' % (json.dumps(key), i)
            tail = '"},"headers":{"operation":"%s","lsn":"%d","op_position":%d}}' % (
                op_name, tx, op)
        fill = max(0, args.json_bytes - len(head) - len(tail))
        body = (head + "x" * fill + tail).encode()
        if open_chunk is None:
            open_chunk = [half(tx, op, pos), None]
            chunks.append(open_chunk)
        rec = record(tx, op, key, op_type, body)
        if sink:
            sink.write(rec)
            records[-1:] = [((tx, op), pos, b"")]  # only the last is kept
        else:
            records.append(((tx, op), pos, rec))
        pos += len(rec)
        in_chunk += len(body)
        if in_chunk >= args.chunk_bytes:
            open_chunk[1] = half(tx, op, pos)
            open_chunk, in_chunk = None, 0
    return records, chunks


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("shape_dir", nargs="?")
    p.add_argument("--storage")
    p.add_argument("--stack", default="default")
    p.add_argument("--handle", default="87654321-1700000000000000")
    p.add_argument("--records", type=int, default=40)
    p.add_argument("--json-bytes", type=int, default=200)
    p.add_argument("--chunk-bytes", type=int, default=1500)
    p.add_argument("--snapshot-chunks", type=int, default=2)
    p.add_argument("--damage", choices=DAMAGE)
    args = p.parse_args()
    if args.storage:
        h = args.handle
        d = os.path.join(args.storage, args.stack, h[0:2], h[2:4], h)
    elif args.shape_dir:
        d = args.shape_dir
    else:
        p.error("give SHAPE_DIR or --storage")
    dmg = args.damage
    log_path = os.path.join(d, "log", "log.latest.0.jsonfile.bin")
    if dmg is None:  # stream the log: a benchmark's is larger than memory should hold
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        with open(log_path, "wb", buffering=1 << 20) as sink:
            records, chunks = build(args, sink)
    else:
        records, chunks = build(args)
    recs = [bytearray(r[2]) for r in records]
    persisted = records[-1][0] if records else None
    chunk_bytes = b"".join(c[0] + (c[1] or b"") for c in chunks)
    mid = len(recs) // 2

    if dmg == "torn":
        recs[-1] = recs[-1][: len(recs[-1]) // 2]
    elif dmg == "torn_unpersisted" or dmg == "live_tail":
        persisted = records[-2][0]
        recs[-1] = recs[-1][: len(recs[-1]) // 2]
        if dmg == "live_tail":  # and the chunk's closing half written ahead of the flush
            last_tx, last_op = records[-1][0]
            if chunks[-1][1] is None:
                chunks[-1][1] = half(last_tx, last_op, sum(len(r[2]) for r in records))
            chunk_bytes = b"".join(c[0] + (c[1] or b"") for c in chunks)
            persisted = records[-3][0]
    elif dmg == "huge_size":
        k = struct.unpack(">I", recs[mid][16:20])[0]
        recs[mid][22 + k:30 + k] = struct.pack(">Q", 2**63)
    elif dmg == "offset_order":
        recs[mid][0:16] = recs[mid - 2][0:16]
    elif dmg == "op_type":
        k = struct.unpack(">I", recs[mid][16:20])[0]
        recs[mid][20 + k] = ord("x")
    elif dmg == "bad_json":
        recs[mid][-3:] = b"\"]x"
    elif dmg == "unpersisted_tail":
        persisted = records[-4][0]
    elif dmg == "persisted_missing":
        persisted = (records[-1][0][0], 1)  # op 1: between this transaction's ops 0 and 2
    c = bytearray(chunk_bytes)
    if dmg == "chunk_misaligned":
        c[48:56] = struct.pack(">Q", struct.unpack(">Q", c[48:56])[0] + 3)
        c[80:88] = struct.pack(">Q", struct.unpack(">Q", c[80:88])[0] + 3)
    elif dmg == "chunk_min":
        c[64 + 8:64 + 16] = struct.pack(">Q", 99)
    elif dmg == "chunk_gap":
        del c[64:128]
    elif dmg == "chunk_half_middle":
        del c[96:128]
    elif dmg == "chunk_odd_length":
        c += b"\x01\x02\x03\x04\x05\x06\x07"
    elif dmg == "chunk_past_log":
        c[48:56] = struct.pack(">Q", 10**9)
    if dmg is not None:
        write(log_path, b"".join(recs))
    write(os.path.join(d, "log", "log.latest.0.chunk.bin"), bytes(c))

    md = os.path.join(d, "metadata")
    write(os.path.join(md, "version.bin"), term(integer(2 if dmg == "version" else 1)))
    write(os.path.join(md, "latest_name.bin"), term(binary(b"latest.0")))
    if persisted:
        lp = term(log_offset(*persisted))
        if dmg == "metadata_bad":
            lp = lp[:20]
        write(os.path.join(md, "last_persisted_txn_offset.bin"), lp)
    write(os.path.join(md, "snapshot_started?.bin"), b"")
    pg = term(b"\x74" + struct.pack(">I", 4) + atom("filter_txns?") + atom("false") +
              atom("xip_list") + b"\x6a" + atom("xmax") + integer(110) + atom("xmin") +
              integer(100))
    if dmg == "etf_deep":
        pg = b"\x83" + b"\x68\x01" * 1_000_000 + b"\x6a"
    elif dmg == "etf_deep_small":
        pg = b"\x83" + b"\x68\x01" * 100_000 + b"\x6a"
    write(os.path.join(md, "pg_snapshot.bin"), pg)
    write(os.path.join(md, "compaction_started?.bin"), term(atom("false")))
    k = args.snapshot_chunks
    for n in range(k):
        rows = b"".join(b'{"id":"%d","v":"snap"},\n' % (n * 10 + r) for r in range(3))
        end = b"" if (dmg == "snapshot_unterminated" and n == k - 1) else b"\x04"
        write(os.path.join(d, "log", f"{n}.jsonsnapshot"), rows + end)
    if k:
        write(os.path.join(md, "last_snapshot_chunk.bin"), term(log_offset(0, k - 1)))
    print(d)


if __name__ == "__main__":
    sys.exit(main())
