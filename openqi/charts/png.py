"""SVG → PNG with resvg (a Rust renderer, no browser, no system Cairo) for slides, PDFs and downloads."""

from __future__ import annotations

import functools
from pathlib import Path

import resvg_py

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


def render_png(svg: str, scale: float = 2, *, background: str | None = "#FFFFFF") -> bytes:
    """PNG bytes of ``svg`` at ``scale`` times its width/height (2 = sharp on high-DPI screens and print).

    Raises ``ValueError`` for invalid SVG (from resvg).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=scale,
            background=background,
            sans_serif_family=sans_serif_family(),
        )
    )
