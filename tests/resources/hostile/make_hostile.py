"""Makes the small hostile corpus of issue #16 (bad PNG chunks, eXIf orientation, float TIFF samples,
alpha masks, odd JSON, damaged checkpoint headers). Pure Python, deterministic. Run from anywhere:
    python3 tests/resources/hostile/make_hostile.py
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def chunk(kind, data, crc=None):
    c = zlib.crc32(kind + data) & 0xffffffff if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", c)


def png(width, height, rows, color_type=0, extra=b"", idat_crc=None):
    """rows: list of byte strings (already one sample per channel); color 0 gray, 6 RGBA."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
            + chunk(b"IDAT", zlib.compress(raw), idat_crc) + chunk(b"IEND", b""))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


GRAY4 = [bytes([0, 85, 170, 255])] * 4
write("png-plain.png", png(4, 4, GRAY4))
write("png-bad-crc.png", png(4, 4, GRAY4, idat_crc=0x12345678))
write("png-unknown-critical.png", png(4, 4, GRAY4, extra=chunk(b"CrIt", b"\x01")))
write("png-huge-chunk-length.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
      + struct.pack(">I", 0x7ffffff0) + b"IDAT" + b"\x00" * 16)

# eXIf orientation 6 (rotate 90 degrees clockwise to show upright): a 2 wide x 3 tall image whose top-left
# pixel alone is white; upright it is 3 wide x 2 tall with the white pixel at the top right.
tiff = (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
        + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0))
write("png-exif-orientation-6.png", png(2, 3, [b"\xff\x00", b"\x00\x00", b"\x00\x00"], extra=chunk(b"eXIf", tiff)))

# RGBA mask: transparent everywhere except an opaque white left column (white strokes on a transparent layer)
rows = [b"\xff\xff\xff\xff" + b"\xff\xff\xff\x00" * 3 for _ in range(4)]
write("mask-white-strokes-on-transparent.png", png(4, 4, rows, color_type=6))


def float_tiff(values):
    """A 2x2 gray TIFF with 32-bit IEEE float samples (SampleFormat 3), little-endian, one strip."""
    pixels = struct.pack("<4f", *values)
    entries = [(256, 3, 1, 2), (257, 3, 1, 2), (258, 3, 1, 32), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 0), (277, 3, 1, 1), (278, 3, 1, 2), (279, 4, 1, len(pixels)), (339, 3, 1, 3)]
    ifd_at = 8
    data_at = ifd_at + 2 + 12 * len(entries) + 4
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = data_at
        if kind == 3:
            ifd += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    return b"II\x2a\x00" + struct.pack("<I", ifd_at) + ifd + pixels


write("float32-gray.tif", float_tiff([0.25, 0.5, 0.75, 1.0]))
write("float32-nan.tif", float_tiff([0.25, float("nan"), 0.75, 1.0]))

CONSTRAINTS = b'{"prompts":[{"prompt":"The","constraints":[{"phrase":"dog"}]}]}'
write("constraints-bom.json", b"\xef\xbb\xbf" + CONSTRAINTS)
write("constraints-duplicate-key.json", b'{"prompts":[],"prompts":[{"prompt":"The","constraints":[]}]}')
write("constraints-two-documents.json", CONSTRAINTS + b"\n" + CONSTRAINTS)
write("constraints-not-utf8.json", b'{"prompts":[{"prompt":"caf\xe9","constraints":[]}]}')

# Atelier checkpoints with damaged lengths
MAGIC = b"ATLRCKP1"
write("checkpoint-negative-header.ckpt", MAGIC + struct.pack(">i", -5) + b"{}")
write("checkpoint-huge-header.ckpt", MAGIC + struct.pack(">i", 0x7fffffff) + b"{}")
write("checkpoint-huge-tensor.ckpt", MAGIC + struct.pack(">i", 2) + b"{}" + struct.pack(">i", 1)
      + struct.pack(">H", 1) + b"w" + struct.pack(">i", 2) + struct.pack(">qq", 1 << 20, 1 << 20) + b"\x00" * 8)
write("checkpoint-overflowing-shape.ckpt", MAGIC + struct.pack(">i", 2) + b"{}" + struct.pack(">i", 1)
      + struct.pack(">H", 1) + b"w" + struct.pack(">i", 3) + struct.pack(">qqq", 1 << 31, 1 << 31, 1 << 31))
write("checkpoint-huge-rank.ckpt", MAGIC + struct.pack(">i", 2) + b"{}" + struct.pack(">i", 1)
      + struct.pack(">H", 1) + b"w" + struct.pack(">i", 0x7fffffff))
write("checkpoint-huge-count.ckpt", MAGIC + struct.pack(">i", 2) + b"{}" + struct.pack(">i", 0x7fffffff))

# IDX image files whose header claims far more than they hold, or images too large
write("idx-huge-count-images-idx3-ubyte", struct.pack(">iiii", 0x803, 2_000_000_000 // 784, 28, 28) + b"\x00" * 10)
write("idx-huge-side-images-idx3-ubyte", struct.pack(">iiii", 0x803, 1, 40000, 40000) + b"\x00" * 10)
