"""Checks a screenshot of an HTML timeline page: a PNG of the expected size, not blank, with
the page's red (a RACE or WRONG mark) and green (ok) in it. Standard library only.

  png_check.py FILE WIDTH HEIGHT
"""
import struct
import sys
import zlib
from collections import Counter


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        fail(f"{path}: expected 8-bit RGB(A), not interlaced; got depth {depth} colour {colour}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xff
            elif kind == 2:
                line[i] = (line[i] + up) & 0xff
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xff
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xff
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def main():
    path, want_width, want_height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width, height, rows = pixels(path)
    if (width, height) != (want_width, want_height):
        fail(f"{path} is {width}x{height}, expected {want_width}x{want_height}")
    counts = Counter(p for row in rows for p in row)
    background, most = counts.most_common(1)[0]
    inked = 1 - most / (width * height)
    if inked < 0.02:
        fail(f"{path} is blank: {inked:.1%} of it differs from its background {background}")
    red = sum(n for (r, g, b), n in counts.items() if r > 180 and g < 60 and b < 60)
    green = sum(n for (r, g, b), n in counts.items() if g > 90 and r < 60 and b < 60)
    if red < 50 or green < 50:
        fail(f"{path} lacks the page's marks: {red} red and {green} green pixels")
    print(f"{path}: {width}x{height}, {inked:.1%} inked, {len(counts)} colours, "
          f"{red} red and {green} green pixels")


if __name__ == "__main__":
    main()
