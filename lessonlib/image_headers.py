"""What an image file really is, and how many pixels it would decode to, from its header alone.

The checker and the SVG sanitiser ask this before anything decodes an image: a file named
`.png` that is not a PNG, or a 100,000 x 100,000 PNG of a few kilobytes (a decompression
bomb), is refused from its first bytes. Only the header is read, in time linear in its size.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# The most pixels one side of an image may have; the lesson page never draws wider.
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_BYTES = 4 * 1024 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC are not frames.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset(range(0xD0, 0xDA)) | {0x01}


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # "png", "jpeg", "gif", "webp" or "svg"
    width: int | None = None
    height: int | None = None

    @property
    def too_large(self) -> bool:
        return any(side is not None and side > MAX_IMAGE_SIDE
                   for side in (self.width, self.height))


# Which kinds a file suffix promises.
SUFFIX_KINDS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif",
                ".webp": "webp", ".svg": "svg"}


def image_info(data: bytes) -> ImageInfo | None:
    """The kind and size of a PNG, JPEG, GIF or WebP; "svg" for XML text; None otherwise."""
    if data.startswith(_PNG_SIGNATURE):
        return _png_info(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_info(data)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return ImageInfo("gif", width, height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_info(data)
    if _looks_like_svg(data):
        return ImageInfo("svg")
    return None


def _png_info(data: bytes) -> ImageInfo | None:
    # The first chunk of every PNG is IHDR: width and height, four bytes each, big-endian.
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("png", width, height)


def _jpeg_info(data: bytes) -> ImageInfo | None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill bytes before a marker
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        if length < 2:
            return None
        if marker in _JPEG_FRAMES:
            if position + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return ImageInfo("jpeg", width, height)
        if marker == 0xDA:  # the image data starts before any frame header: not a real JPEG
            return None
        position += 2 + length
    return None


def _webp_info(data: bytes) -> ImageInfo:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return ImageInfo("webp", width, height)
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    return ImageInfo("webp")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head
