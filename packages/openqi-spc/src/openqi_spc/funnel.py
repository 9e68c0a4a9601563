"""Funnel plots for comparing units (trusts, wards, teams) at one point in time.

    funnel(deaths, expected, kind="ratio")                      # standardised ratios O/E (SHMI-style)
    funnel(breaches, attendances, kind="proportion")             # proportions against the overall rate
    funnel(deaths, expected, kind="ratio", overdispersion=True)  # Spiegelhalter's random-effects limits

References:

* Spiegelhalter D.J. (2005). Funnel plots for comparing institutional performance. *Statistics in
  Medicine* 24:1185-1202: control limits around a target theta0 against the precision (denominator) of
  each unit, at 95% and 99.8%; proportions use the exact binomial quantiles with the interpolation of his
  appendix A.1.1 (limit = (r_p - alpha) / n, alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1))).
* Standardised ratios use exact Poisson limits for an expected count E: lower qgamma(0.025, E) / E, upper
  qgamma(0.975, E + 1) / E (Garwood's interval), as FunnelPlotR (Mainey, NHS-R Community) draws them.
* Spiegelhalter D.J. (2005). Handling over-dispersion of performance indicators. *Quality and Safety in
  Health Care* 14:347-351, as implemented by FunnelPlotR: z-scores on a transformed scale (ratios: log(O/E)
  with s = 1 / sqrt(E), the "SHMI" method, or sqrt(O/E) with s = 1 / (2 sqrt(E)), the "CQC" method;
  proportions: arcsine square root with s = 1 / (2 sqrt(n))), Winsorised at 10% each end, phi = mean of
  squared z-scores; tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)), w = 1 / s^2, and 0 when
  I phi < I - 1; limits target +/- z sqrt(s^2 + tau^2) on the transformed scale, transformed back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from openqi_spc.errors import (
    DenominatorError,
    InputLengthError,
    InsufficientDataError,
    NonFiniteValueError,
    NumeratorError,
    OptionError,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
KINDS: Final = ("ratio", "proportion")
METHODS: Final = ("SHMI", "CQC")
Z95: Final = 1.959963984540054
Z998: Final = 3.090232306167813


def _gamma_p(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x): series below a + 1, Lentz's continued fraction above."""
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def gamma_quantile(p: float, shape: float) -> float:
    """x with P(shape, x) = p (unit scale), by bisection to machine precision."""
    lo, hi = 0.0, max(1.0, shape + 20 * math.sqrt(shape) + 20)
    while _gamma_p(shape, hi) < p:
        hi *= 2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _gamma_p(shape, mid) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def poisson_limits(expected: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Exact (Garwood) limits of O/E for expected counts E at a two-sided level (0.95, 0.998)."""
    tail = (1 - level) / 2
    lower = np.array([gamma_quantile(tail, e) / e for e in expected.tolist()])
    upper = np.array([gamma_quantile(1 - tail, e + 1) / e for e in expected.tolist()])
    return lower, upper


def _binomial_cdf_window(n: int, theta: float) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Binomial(n, theta) CDF on the counts where it moves (mean +/- 14 sd); exact to double precision."""
    sd = math.sqrt(n * theta * (1 - theta))
    lo = max(0, int(n * theta - 14 * sd) - 2)
    hi = min(n, int(n * theta + 14 * sd) + 2)
    k = np.arange(lo, hi + 1)
    lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
    log_pmf = (
        math.lgamma(n + 1)
        - lgamma(k + 1.0)
        - lgamma(n - k + 1.0)
        + k * math.log(theta)
        + (n - k) * math.log1p(-theta)
    )
    return k, np.cumsum(np.exp(log_pmf))


def binomial_limit(n: int, theta: float, p: float) -> float:
    """Spiegelhalter's interpolated p-quantile of Binomial(n, theta), as a proportion (appendix A.1.1)."""
    k, cdf = _binomial_cdf_window(n, theta)
    index = int(np.searchsorted(cdf, p))  # first count with F(r) >= p
    index = min(index, k.size - 1)
    below = cdf[index - 1] if index > 0 else 0.0
    step = cdf[index] - below
    alpha = (cdf[index] - p) / step if step > 0 else 0.0
    return float((k[index] - alpha) / n)


def binomial_limits(n: FloatArray, theta: float, level: float) -> tuple[FloatArray, FloatArray]:
    tail = (1 - level) / 2
    if not 0 < theta < 1:
        return np.full(n.size, theta), np.full(n.size, theta)
    lower = np.array([binomial_limit(int(round(m)), theta, tail) for m in n.tolist()])
    upper = np.array([binomial_limit(int(round(m)), theta, 1 - tail) for m in n.tolist()])
    return lower, upper


def winsorise(z: FloatArray, trim: float) -> FloatArray:
    """Values beyond the trim and 1 - trim quantiles (R's type 7) pulled in to those quantiles."""
    if trim <= 0:
        return z
    lo, hi = np.quantile(z, [trim, 1 - trim])
    return np.clip(z, lo, hi)


def tau_squared(z: FloatArray, s: FloatArray) -> tuple[float, float]:
    """(phi, tau^2) from z-scores (already Winsorised) and their standard errors (Spiegelhalter 2005)."""
    count = z.size
    phi = float(np.mean(z**2))
    if count * phi < count - 1:
        return phi, 0.0
    w = 1 / s**2
    tau2 = (count * phi - (count - 1)) / (w.sum() - (w**2).sum() / w.sum())
    return phi, max(0.0, float(tau2))


@dataclass(frozen=True, slots=True)
class FunnelResult:
    """Per unit: its value, its limits at 95% and 99.8%, and whether it lies outside them."""

    kind: str
    labels: tuple[Any, ...]
    numerator: FloatArray
    denominator: FloatArray
    value: FloatArray  # O/E for ratios, O/n for proportions
    target: float
    lower_95: FloatArray
    upper_95: FloatArray
    lower_998: FloatArray
    upper_998: FloatArray
    overdispersion: bool
    phi: float | None
    tau2: float | None
    method: str | None

    @property
    def outside_95(self) -> BoolArray:
        out: BoolArray = (self.value < self.lower_95) | (self.value > self.upper_95)
        return out

    @property
    def outside_998(self) -> BoolArray:
        out: BoolArray = (self.value < self.lower_998) | (self.value > self.upper_998)
        return out

    def limits_at(self, denominators: Any) -> dict[str, FloatArray]:
        """The funnel's limit curves at any precisions (for drawing the funnel's outline)."""
        at = np.asarray(denominators, dtype=np.float64)
        names = ("lower_95", "upper_95", "lower_998", "upper_998")
        tau2 = self.tau2 if self.overdispersion else None
        return dict(zip(names, _limits(self.kind, at, self.target, tau2, self.method), strict=True))

    def to_records(self) -> list[dict[str, Any]]:
        rows = []
        for i, label in enumerate(self.labels):
            rows.append(
                {
                    "unit": label,
                    "numerator": float(self.numerator[i]),
                    "denominator": float(self.denominator[i]),
                    "value": float(self.value[i]),
                    "lower_95": float(self.lower_95[i]),
                    "upper_95": float(self.upper_95[i]),
                    "lower_998": float(self.lower_998[i]),
                    "upper_998": float(self.upper_998[i]),
                    "outside_95": bool(self.outside_95[i]),
                    "outside_998": bool(self.outside_998[i]),
                }
            )
        return rows

    def plot(self, **options: Any) -> Any:
        from openqi_spc.plotting import plot_funnel

        return plot_funnel(self, **options)


def _transform(kind: str, method: str | None) -> tuple[Any, Any, Any]:
    """(forward transform of the value, standard error from the denominator, inverse transform)."""
    if kind == "proportion":
        return (
            lambda v: np.arcsin(np.sqrt(v)),
            lambda d: 1 / (2 * np.sqrt(d)),
            lambda t: np.sin(np.clip(t, 0, np.pi / 2)) ** 2,
        )
    if method == "CQC":
        return np.sqrt, lambda d: 1 / (2 * np.sqrt(d)), lambda t: np.clip(t, 0, None) ** 2
    return np.log, lambda d: 1 / np.sqrt(d), np.exp


def _limits(
    kind: str, denominator: FloatArray, target: float, tau2: float | None, method: str | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    if tau2 is None:
        if kind == "ratio":
            lo95, hi95 = poisson_limits(denominator, 0.95)
            lo998, hi998 = poisson_limits(denominator, 0.998)
            return lo95 * target, hi95 * target, lo998 * target, hi998 * target
        lo95, hi95 = binomial_limits(denominator, target, 0.95)
        lo998, hi998 = binomial_limits(denominator, target, 0.998)
        return lo95, hi95, lo998, hi998
    forward, standard_error, back = _transform(kind, method)
    centre = forward(np.float64(target))
    spread = np.sqrt(standard_error(denominator) ** 2 + tau2)
    return (
        back(centre - Z95 * spread),
        back(centre + Z95 * spread),
        back(centre - Z998 * spread),
        back(centre + Z998 * spread),
    )


def _inputs(numerator: Any, denominator: Any, kind: str) -> tuple[FloatArray, FloatArray]:
    o = np.asarray(numerator, dtype=np.float64)
    d = np.asarray(denominator, dtype=np.float64)
    if o.ndim != 1 or d.ndim != 1:
        raise OptionError("numerator and denominator must be one-dimensional (one value per unit)")
    if o.shape != d.shape:
        raise InputLengthError(f"denominator has {d.size} values but numerator has {o.size}")
    if not (np.isfinite(o).all() and np.isfinite(d).all()):
        raise NonFiniteValueError("every unit needs a finite numerator and denominator")
    if (d <= 0).any():
        i = int(np.flatnonzero(d <= 0)[0])
        raise DenominatorError(f"denominators must be positive; unit {i} has {d[i]:g}")
    if (o < 0).any():
        i = int(np.flatnonzero(o < 0)[0])
        raise NumeratorError(f"numerators cannot be negative; unit {i} has {o[i]:g}")
    if kind == "proportion" and (o > d).any():
        i = int(np.flatnonzero(o > d)[0])
        raise NumeratorError(f"unit {i}: numerator {o[i]:g} is above its denominator {d[i]:g}")
    if o.size < 2:
        raise InsufficientDataError("a funnel plot compares at least two units")
    return o, d


def funnel(
    numerator: Any,
    denominator: Any,
    *,
    data: Any = None,
    kind: str = "ratio",
    labels: Any = None,
    target: float | None = None,
    overdispersion: bool = False,
    method: str = "SHMI",
    trim: float = 0.1,
) -> FunnelResult:
    """Funnel plot of units: ``kind="ratio"`` (observed / expected, target 1) or ``"proportion"``
    (numerator / denominator, target the overall proportion unless given).

    ``overdispersion=True`` widens the limits by the between-unit variance tau^2 estimated from
    Winsorised z-scores (``trim`` each end); ``method`` "SHMI" (log scale) or "CQC" (square root) for
    ratios. When the units show no overdispersion (tau^2 = 0) the exact limits are kept, as FunnelPlotR does.
    With ``data`` (a pandas or polars DataFrame, or a dict of columns) ``numerator``, ``denominator`` and
    ``labels`` may name its columns.
    """
    if data is not None:
        from openqi_spc.frames import column

        numerator = column(data, numerator, "numerator")
        denominator = column(data, denominator, "denominator")
        labels = column(data, labels, "labels")
    if kind not in KINDS:
        raise OptionError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if method not in METHODS:
        raise OptionError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if not 0 <= trim < 0.5:
        raise OptionError(f"trim must be in [0, 0.5); got {trim!r}")
    o, d = _inputs(numerator, denominator, kind)
    names = tuple(range(o.size)) if labels is None else tuple(np.asarray(labels).tolist())
    if len(names) != o.size:
        raise InputLengthError(f"labels has {len(names)} values but there are {o.size} units")
    if target is None:
        target = 1.0 if kind == "ratio" else float(o.sum() / d.sum())
    value = o / d
    phi = tau2 = None
    used_method = method if kind == "ratio" else None
    if overdispersion:
        forward, standard_error, _ = _transform(kind, method)
        s = standard_error(d)
        with np.errstate(divide="ignore"):
            z = (forward(value) - forward(np.float64(target))) / s
        if not np.isfinite(z).all():
            raise NumeratorError(
                "a unit with no events has no log ratio: use method='CQC' for overdispersion"
            )
        phi, tau2 = tau_squared(winsorise(z, trim), s)
    adjusted = overdispersion and tau2 is not None and tau2 > 0
    lo95, hi95, lo998, hi998 = _limits(kind, d, target, tau2 if adjusted else None, used_method)
    return FunnelResult(
        kind, names, o, d, value, float(target), lo95, hi95, lo998, hi998, adjusted, phi, tau2, used_method
    )
