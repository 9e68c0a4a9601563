"""PNG export through resvg: a real PNG, the right size, and text that actually rendered."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from openqi_spc.render import ChartSpec, render_png, render_svg, spec_from_mdc
from openqi_spc.render.png import sans_serif_family

from render.helpers import decode_png, quiet_mdc, shifted, stable, weeks


def _size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_png_magic_and_size() -> None:
    svg = render_svg(spec_from_mdc(quiet_mdc(shifted(), x=weeks(36)), title="t"), width=300, height=150)
    png = render_png(svg, scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert _size(png) == (600, 300)
    assert _size(render_png(svg, scale=1)) == (300, 150)


def test_png_is_not_blank_and_differs_between_charts() -> None:
    a = render_png(
        render_svg(ChartSpec(title="a", x=weeks(30), y=stable(30)), width=240, height=120), scale=1
    )
    b = render_png(
        render_svg(ChartSpec(title="b", x=weeks(30), y=shifted(15, 15)), width=240, height=120), scale=1
    )
    pixels = decode_png(a)[..., :3].astype(float)
    assert pixels.std() > 5
    assert (pixels < 128).any()  # dark ink: lines and text
    assert a != b


def test_text_renders_with_installed_fonts() -> None:
    if sans_serif_family() is None:
        pytest.skip("no known sans-serif font installed")
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" '
        'font-family="Arial, Helvetica, sans-serif"><text x="5" y="28" font-size="20">Baseline</text></svg>'
    )
    blank = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"></text></svg>'.replace(
        "</text>", ""
    )
    inked = decode_png(render_png(text, scale=1))[..., :3]
    assert (inked < 100).sum() > 50
    empty = decode_png(render_png(blank, scale=1))[..., :3]
    assert np.all(empty == 255)


def test_invalid_svg_and_scale_raise() -> None:
    with pytest.raises(ValueError):
        render_png("<not svg")
    with pytest.raises(ValueError):
        render_png(render_svg(ChartSpec(title="t", x=[1], y=[1.0])), scale=0)
