"""Centre lines and control limits of every qicharts2 chart type, for one chart part.

All functions take two-dimensional arrays, one row per series, so the single-series path (one row) and the
batch path (thousands of rows) run the same arithmetic. Missing values are NaN and are skipped exactly where
qicharts2 uses ``na.rm = TRUE``. ``base`` selects the columns (points) used for the centre and limits:
baseline points that are not excluded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ChartType = Literal["run", "i", "mr", "xbar", "s", "t", "c", "u", "up", "p", "pp", "g"]
CHART_TYPES: Final[tuple[ChartType, ...]] = (
    "run",
    "i",
    "mr",
    "xbar",
    "s",
    "t",
    "c",
    "u",
    "up",
    "p",
    "pp",
    "g",
)

# qicharts2 uses these rounded constants for I, MR and the Laney charts; keeping them (rather than the exact
# d2 = 1.1283791...) is what makes the limits equal the reference to the last digit.
D2: Final = 1.128
D4: Final = 3.267
T_CHART_POWER: Final = 3.6  # Nelson's transformation of exponential waiting times to near-normal
G_THEORETICAL_MEDIAN: Final = 0.693  # Provost & Murray: median of a geometric distribution ~ 0.693 * mean

GCentre = Literal["median", "mean_0693"]
TLower = Literal["zero", "none"]
MRScreen = Literal["strict", "inclusive"]


@dataclass(frozen=True, slots=True)
class LimitOptions:
    """Reference-dependent choices that change centre lines or limits (see presets.py)."""

    screened_mr: bool = True
    mr_screen: MRScreen = "strict"
    mr_screen_remean: bool = False
    g_centre: GCentre = "median"
    t_lower: TLower = "zero"


@dataclass(slots=True)
class PartData:
    """Aggregated subgroups of one chart part (rows = series, columns = points)."""

    y: FloatArray
    y_sum: FloatArray
    y_length: FloatArray
    y_mean: FloatArray
    y_sd: FloatArray
    n: FloatArray
    base: BoolArray  # one flag per column
    cl_given: FloatArray | None  # supplied centre line, per point
    categorical: bool = False


@dataclass(slots=True)
class Lines:
    y: FloatArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    lcl_95: FloatArray
    ucl_95: FloatArray


def row_mean(a: FloatArray) -> FloatArray:
    """Mean of each row ignoring NaN (NaN for a row without values), without nanmean's copies."""
    if a.shape[0] == 1:  # the single-series path: fewer, cheaper NumPy calls
        values = a[0]
        total = values.sum()
        if total != total:  # NaN somewhere: drop the missing values
            values = values[~np.isnan(values)]
            total = values.sum()
        return np.array([total / values.size if values.size else np.nan])
    valid = ~np.isnan(a)
    count = valid.sum(axis=1)
    total = np.where(valid, a, 0.0).sum(axis=1)
    return total / count  # type: ignore[no-any-return]


def row_sum(a: FloatArray) -> FloatArray:
    return np.where(np.isnan(a), 0.0, a).sum(axis=1)  # type: ignore[no-any-return]


def row_median(a: FloatArray) -> FloatArray:
    if a.shape[0] == 1:  # np.median's generality costs ~30 us on a 60-point series; sorting costs 1 us
        values = np.sort(a[0][~np.isnan(a[0])])
        size = values.size
        if size == 0:
            return np.array([np.nan])
        return np.array([(values[(size - 1) // 2] + values[size // 2]) / 2.0])
    if a.shape[1] == 0:
        return np.full(a.shape[0], np.nan)
    return np.nanmedian(a, axis=1)


def _col(v: FloatArray) -> FloatArray:
    return v[:, None]


@lru_cache(maxsize=4096)
def _c4(n: float) -> float:
    if not n > 1:
        return math.nan
    return math.sqrt(2.0 / (n - 1.0)) * math.exp(math.lgamma(n / 2.0) - math.lgamma((n - 1.0) / 2.0))


def c4(n: FloatArray) -> FloatArray:
    """Exact bias-correction constant c4(n) (NaN for n <= 1), as qicharts2 since 0.5.1."""
    return np.array([_c4(float(v)) for v in n.ravel()], dtype=np.float64).reshape(n.shape)


def a3(n: FloatArray, k: float = 3.0) -> FloatArray:
    return k / (c4(n) * np.sqrt(np.where(n > 1, n, np.nan)))


def b3_b4(n: FloatArray, k: float = 3.0) -> tuple[FloatArray, FloatArray]:
    c4n = c4(n)
    c5n = np.sqrt(1.0 - c4n**2)
    b3 = np.fmax(0.0, 1.0 - k * c5n / c4n)  # fmax keeps NaN only when both are NaN, so re-apply NaN
    b3[np.isnan(c4n)] = np.nan
    return b3, 1.0 + k * c5n / c4n


def _symmetric(y: FloatArray, cl: FloatArray, sd: FloatArray) -> Lines:
    return Lines(y, cl, cl - 3.0 * sd, cl + 3.0 * sd, cl - 2.0 * sd, cl + 2.0 * sd)


def _constant_lines(y: FloatArray, centre: FloatArray, sd: FloatArray) -> Lines:
    """Lines that are constant along each row, expanded in one step (the single-series hot path)."""
    width = y.shape[1]
    if centre.shape[0] == 1:  # Python float arithmetic is far cheaper than NumPy calls on 1-element arrays
        c, s = float(centre[0]), float(sd[0])
        values = np.array([[c], [c - 3.0 * s], [c + 3.0 * s], [c - 2.0 * s], [c + 2.0 * s]])
        grid = np.repeat(values, width, axis=1)
        return Lines(y, grid[0:1], grid[1:2], grid[2:3], grid[3:4], grid[4:5])
    values = np.stack((centre, centre - 3.0 * sd, centre + 3.0 * sd, centre - 2.0 * sd, centre + 2.0 * sd))
    grid = np.repeat(values[:, :, None], width, axis=2)
    return Lines(y, grid[0], grid[1], grid[2], grid[3], grid[4])


def _clamp_low(lines: Lines) -> None:
    # qicharts2 only clamps finite negative limits; -inf (n = 0) becomes NA later, like in R.
    lines.lcl[(lines.lcl < 0) & np.isfinite(lines.lcl)] = 0.0
    lines.lcl_95[(lines.lcl_95 < 0) & np.isfinite(lines.lcl_95)] = 0.0


def _clamp_high(lines: Lines) -> None:
    lines.ucl[(lines.ucl > 1) & np.isfinite(lines.ucl)] = 1.0
    lines.ucl_95[(lines.ucl_95 > 1) & np.isfinite(lines.ucl_95)] = 1.0


def _centre(part: PartData, computed: FloatArray) -> FloatArray:
    if part.cl_given is not None:
        return part.cl_given
    if computed.shape[0] == 1:
        return np.full(part.y.shape, computed[0])
    return np.broadcast_to(_col(computed), part.y.shape).copy()


def screened_amr(mr: FloatArray, opts: LimitOptions) -> tuple[FloatArray, BoolArray | None]:
    """Average moving range per row, after Nelson's screening of moving ranges above D4 x AMR if asked.

    Returns the AMR and the moving ranges judged outliers (for the NHSE variant that re-computes the mean).
    """
    amr = row_mean(mr)
    if not opts.screened_mr:
        return amr, None
    limit = _col(D4 * amr)
    keep = mr <= limit if opts.mr_screen == "inclusive" else mr < limit
    if keep.all():  # the usual case: nothing to screen, and NaN would have failed the comparison
        return amr, None
    outlier = ~keep & ~np.isnan(mr)
    return row_mean(np.where(keep, mr, np.nan)), outlier


def _individuals(part: PartData, opts: LimitOptions, y: FloatArray) -> Lines:
    all_base = bool(part.base.all())
    yb = y if all_base else y[:, part.base]
    given = part.cl_given
    if given is None:
        centre = row_mean(yb)
        deviation = yb - _col(centre)
    else:
        deviation = yb - (given if all_base else given[:, part.base])
    mr = np.abs(deviation[:, 1:] - deviation[:, :-1])
    amr, outlier = screened_amr(mr, opts)
    if given is None and opts.mr_screen_remean and outlier is not None and outlier.any():
        # NHSE SQL: a point whose moving range is an outlier is also left out of the mean.
        kept = yb.copy()
        kept[:, 1:][outlier] = np.nan
        centre = row_mean(kept)
    if given is None:
        return _constant_lines(y, centre, amr / D2)
    return _symmetric(y, given, _col(amr / D2))


def _laney_sigma_z(part: PartData, z: FloatArray, opts: LimitOptions) -> FloatArray:
    if part.categorical:  # funnel plot: no time order, so no moving ranges
        return np.nanstd(z, axis=1, ddof=1)  # type: ignore[no-any-return]
    mr = np.abs(np.diff(z, axis=1))
    amr, _ = screened_amr(mr, LimitOptions(screened_mr=opts.screened_mr, mr_screen=opts.mr_screen))
    return amr / D2


def _ratio_centre(part: PartData) -> FloatArray:
    return row_sum(part.y_sum[:, part.base]) / row_sum(part.n[:, part.base])


def _sd_centre(part: PartData) -> tuple[FloatArray, bool]:
    """Pooled SD if subgroup sizes vary within the part (decided over all its points), else mean SD."""
    lengths = part.y_length
    variable = bool(lengths.shape[1] and (lengths != lengths[:, :1]).any())
    sd_b = part.y_sd[:, part.base]
    len_b = lengths[:, part.base]
    if variable:
        # qicharts2 sums (n_i - 1) without dropping empty subgroups (they contribute -1); kept for fidelity.
        num = row_sum((len_b - 1.0) * sd_b**2)
        den = row_sum(len_b - 1.0)
        return np.sqrt(num / den), True
    return row_mean(sd_b), False


def chart_lines(chart: ChartType, part: PartData, opts: LimitOptions) -> Lines:
    """Centre line and limits for one part; caller applies multiply, y_neg and signals."""
    y = part.y
    shape = y.shape
    nan = np.full(shape, np.nan)
    if chart == "run":
        cl = _centre(part, row_median(y[:, part.base]))
        return Lines(y, cl, nan, nan.copy(), nan.copy(), nan.copy())
    if chart == "i":
        return _individuals(part, opts, y)
    if chart == "mr":
        mr = np.empty(shape)
        mr[:, :1] = np.nan
        mr[:, 1:] = np.abs(np.diff(y, axis=1))
        cl = _centre(part, row_mean(mr[:, part.base]))
        zero = np.zeros(shape)
        return Lines(mr, cl, zero, D4 * cl, zero.copy(), (D4 / 3.0) * 2.0 * cl)
    if chart == "t":
        transformed = y ** (1.0 / T_CHART_POWER)
        given = part.cl_given
        tpart = PartData(
            transformed,
            part.y_sum,
            part.y_length,
            part.y_mean,
            part.y_sd,
            part.n,
            part.base,
            None if given is None else given ** (1.0 / T_CHART_POWER),
        )
        lines = _individuals(tpart, opts, transformed)
        out = Lines(
            y,
            lines.cl**T_CHART_POWER,
            lines.lcl**T_CHART_POWER,  # a negative base gives NaN, as in R
            lines.ucl**T_CHART_POWER,
            lines.lcl_95**T_CHART_POWER,
            lines.ucl_95**T_CHART_POWER,
        )
        if opts.t_lower == "zero":
            out.lcl[np.isnan(out.lcl) | (out.lcl < 0)] = 0.0
        return out
    if chart == "c":
        counts = part.y_sum
        cl = _centre(part, row_mean(counts[:, part.base]))
        lines = _symmetric(counts, cl, np.sqrt(cl))
        _clamp_low(lines)
        return lines
    if chart in ("u", "up", "p", "pp"):
        cl = _centre(part, _ratio_centre(part))
        with np.errstate(divide="ignore", invalid="ignore"):
            sd = np.sqrt(cl / part.n) if chart in ("u", "up") else np.sqrt(cl * (1.0 - cl) / part.n)
            if chart in ("up", "pp"):
                z = (y[:, part.base] - cl[:, part.base]) / sd[:, part.base]
                sd = sd * _col(_laney_sigma_z(part, z, opts))
        lines = _symmetric(y, cl, sd)
        _clamp_low(lines)
        if chart in ("p", "pp"):
            _clamp_high(lines)
        return lines
    if chart == "g":
        yb = y[:, part.base]
        mean = part.cl_given if part.cl_given is not None else _centre(part, row_mean(yb))
        lines = _symmetric(y, mean, np.sqrt(mean * (mean + 1.0)))
        lines.lcl[lines.lcl < 0] = 0.0
        lines.lcl_95[lines.lcl_95 < 0] = 0.0
        if part.cl_given is None and opts.g_centre == "median":
            lines.cl = _centre(part, row_median(yb))
        else:
            lines.cl = G_THEORETICAL_MEDIAN * mean
        return lines
    if chart == "xbar":
        len_b = part.y_length[:, part.base]
        cl = _centre(part, row_sum(len_b * part.y_mean[:, part.base]) / row_sum(len_b))
        sd, _ = _sd_centre(part)
        lines = Lines(y, cl, nan, nan.copy(), nan.copy(), nan.copy())
        spread3 = a3(part.y_length) * _col(sd)
        spread2 = a3(part.y_length, 2.0) * _col(sd)
        lines.lcl, lines.ucl = cl - spread3, cl + spread3
        lines.lcl_95, lines.ucl_95 = cl - spread2, cl + spread2
        return lines
    if chart == "s":
        sds = part.y_sd
        sd, _ = _sd_centre(part)
        cl = _centre(part, sd)
        b3, b4 = b3_b4(part.y_length)
        b3_95, b4_95 = b3_b4(part.y_length, 2.0)
        return Lines(sds, cl, b3 * cl, b4 * cl, b3_95 * cl, b4_95 * cl)
    raise AssertionError(chart)  # pragma: no cover - chart validated by the caller
