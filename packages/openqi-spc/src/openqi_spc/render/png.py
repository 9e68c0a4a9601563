"""SVG → PNG with resvg (a Rust renderer, no browser, no system Cairo) for slides, PDFs and downloads."""

from __future__ import annotations

import functools
import struct
import zlib
from pathlib import Path

# resvg resolves font families through its own font database, not fontconfig, so "Arial" is not aliased
# to Liberation Sans as it is in a browser on Linux. Naming an installed metric-compatible family for the
# generic "sans-serif" makes text render (and keeps Arial's metrics, which the SVG layout assumes).
_SANS_CANDIDATES = (
    ("Liberation Sans", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    ("Arimo", "/usr/share/fonts/truetype/croscore/Arimo-Regular.ttf"),
    ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


@functools.cache
def sans_serif_family() -> str | None:
    """The installed family used for generic sans-serif text, or None to leave resvg's default."""
    for family, path in _SANS_CANDIDATES:
        if Path(path).exists():
            return family
    return None


def render_png(
    svg: str, scale: float = 2, *, background: str | None = "#FFFFFF", text: dict[str, str] | None = None
) -> bytes:
    """PNG bytes of ``svg`` at ``scale`` times its width/height (2 = sharp on high-DPI screens and print).

    ``text`` is written into the file as PNG text chunks (keywords such as "Title" and "Description"),
    so the words travel with the image: a text alternative for whoever inserts it into a document.
    Raises ``ValueError`` for invalid SVG (from resvg).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    try:  # optional: the engine and the SVG need nothing beyond NumPy
        import resvg_py
    except ImportError as exc:
        raise ImportError("PNG export needs resvg-py: pip install 'openqi-spc[png]'") from exc
    png = bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=scale,
            background=background,
            sans_serif_family=sans_serif_family(),
        )
    )
    return with_text(png, text) if text else png


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def with_text(png: bytes, text: dict[str, str]) -> bytes:
    """``png`` with an uncompressed international text chunk (iTXt, UTF-8) per entry, after its header."""
    header_end = 8 + 8 + 13 + 4  # signature, then the IHDR chunk (length, type, 13 bytes, CRC)
    chunks = b"".join(
        _chunk(b"iTXt", keyword.encode("latin-1")[:79] + b"\0\0\0\0\0" + value.encode("utf-8"))
        for keyword, value in text.items()
    )
    return png[:header_end] + chunks + png[header_end:]


def read_text(png: bytes) -> dict[str, str]:
    """The iTXt and tEXt entries of a PNG (what ``with_text`` wrote), for tests and tools."""
    out: dict[str, str] = {}
    pos = 8
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            # compression flag, method, language tag\0, translated keyword\0, then the text
            _lang, _translated, value = rest[2:].split(b"\0", 2)
            out[keyword.decode("latin-1")] = value.decode("utf-8")
        elif kind == b"tEXt":
            keyword, value = body.split(b"\0", 1)
            out[keyword.decode("latin-1")] = value.decode("latin-1")
        pos += 12 + length
    return out
