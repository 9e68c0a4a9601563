"""Realistic inputs built with the SPC engine, and a tiny PNG decoder for pixel checks."""

from __future__ import annotations

import datetime as dt
import struct
import warnings
import xml.etree.ElementTree as ET
import zlib

import numpy as np
from openqi_spc import FewPointsWarning, mdc, qic

SVG = "{http://www.w3.org/2000/svg}"


def weeks(n: int, start: dt.date = dt.date(2024, 1, 1)) -> list[dt.date]:
    return [start + dt.timedelta(weeks=i) for i in range(n)]


def months(n: int, start_year: int = 2023) -> list[dt.date]:
    return [dt.date(start_year + i // 12, i % 12 + 1, 1) for i in range(n)]


def stable(n: int = 40, seed: int = 7, mean: float = 45.0, sd: float = 3.0) -> list[float]:
    return np.random.default_rng(seed).normal(mean, sd, n).round(1).tolist()


def shifted(before: int = 24, after: int = 12, seed: int = 3, jump: float = 10.0) -> list[float]:
    rng = np.random.default_rng(seed)
    return (
        rng.normal(45.0, 3.0, before).round(1).tolist()
        + rng.normal(45.0 + jump, 3.0, after).round(1).tolist()
    )


def quiet_mdc(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FewPointsWarning)
        return mdc(*args, **kwargs)  # type: ignore[arg-type]


def quiet_qic(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FewPointsWarning)
        return qic(*args, **kwargs)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own renderer's output, not untrusted input


def by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    """Elements whose class attribute contains every word of ``cls``."""
    want = set(cls.split())
    return [el for el in root.iter() if want <= set(el.get("class", "").split())]


def decode_png(data: bytes) -> np.ndarray:
    """RGBA/RGB 8-bit PNG → array (height, width, channels); enough for resvg's output."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    idat = b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {6: 4, 2: 3, 0: 1, 4: 2}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[list[int]] = []
    prev = [0] * stride
    for row in range(height):
        start = row * (stride + 1)
        ftype = raw[start]
        line = list(raw[start + 1 : start + 1 + stride])
        cur = [0] * stride
        for i in range(stride):
            a = cur[i - channels] if i >= channels else 0
            b = prev[i]
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = a
            elif ftype == 2:
                pred = b
            elif ftype == 3:
                pred = (a + b) // 2
            else:
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[i] = (line[i] + pred) & 0xFF
        rows.append(cur)
        prev = cur
    return np.array(rows, dtype=np.uint8).reshape(height, width, channels)
