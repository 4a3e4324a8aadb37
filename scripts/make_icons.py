"""Draw the home-screen icons (assets/icons/icon-192.png and icon-512.png) with the standard library only.

A bar chart in white on the brand blue, filling the square: the same file serves as a plain icon and as a
maskable one, since the bars stay inside the central circle of 80% of the width that every mask keeps.

    python scripts/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assets" / "icons"
BLUE = (0x00, 0x72, 0xB2)
WHITE = (0xFF, 0xFF, 0xFF)
AMBER = (0xE6, 0x9F, 0x00)
# Bars as (left, bottom-aligned height) in fractions of the side, all within the maskable safe zone.
BARS = ((0.30, 0.22), (0.44, 0.36), (0.58, 0.28))
BAR_WIDTH = 0.11
BASELINE = 0.68
AXIS = (0.27, 0.72, 0.70, 0.025)  # left, top, right, thickness


def pixel(x: float, y: float) -> tuple[int, int, int]:
    left, top, right, thickness = AXIS
    if left <= x <= right and top <= y <= top + thickness:
        return AMBER
    for bar_left, height in BARS:
        if bar_left <= x <= bar_left + BAR_WIDTH and BASELINE - height <= y <= BASELINE:
            return WHITE
    return BLUE


def png(size: int) -> bytes:
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # no filter
        for i in range(size):
            rows.extend(pixel((i + 0.5) / size, (j + 0.5) / size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
