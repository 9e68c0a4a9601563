"""Pareto analysis as qicharts2's ``paretochart()`` computes it.

qicharts2 (R/paretochart.R) tabulates a categorical variable with ``table(x, useNA=...)``, sorts the table
with ``sort(decreasing = TRUE)`` and adds ``y.cum = cumsum(y)``, ``p = y / sum(y)`` and
``p.cum = cumsum(p)``. Three details decide the output and are kept here:

- **Ties keep their order.** R's ``sort`` of a table uses ``order()``, which is stable, so categories
  with equal counts stay in the table's order: for a character vector the sorted category names, for
  counts given here the order the categories were given in.
- **Missing values are left out unless asked for** (``useNA = FALSE``). With ``use_na=True`` they become
  one category (``NA`` in R, ``missing_label`` here), placed after every other category of equal count,
  because ``table()`` puts the NA level last.
- **Categories with a count of zero stay** (a factor's unused levels are tabulated too) and come last.

The cumulative line is ``p.cum``: the running share of the total, ending at exactly 1. Proportions are
computed with exact integer running sums, so the last cumulative proportion is 1.0, not 0.9999999.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["ParetoBar", "ParetoResult", "pareto", "pareto_from_values"]


@dataclass(frozen=True)
class ParetoBar:
    """One bar: qicharts2's ``x``, ``y``, ``y.cum``, ``p`` and ``p.cum`` (proportions, 0 to 1)."""

    category: str
    count: int
    cumulative_count: int
    proportion: float
    cumulative_proportion: float
    is_missing: bool = False

    @property
    def percentage(self) -> float:
        return 100.0 * self.proportion

    @property
    def cumulative_percentage(self) -> float:
        return 100.0 * self.cumulative_proportion


@dataclass(frozen=True)
class ParetoResult:
    bars: tuple[ParetoBar, ...]
    total: int

    @property
    def categories(self) -> list[str]:
        return [bar.category for bar in self.bars]

    @property
    def counts(self) -> list[int]:
        return [bar.count for bar in self.bars]

    @property
    def percentages(self) -> list[float]:
        return [bar.percentage for bar in self.bars]

    @property
    def cumulative_percentages(self) -> list[float]:
        return [bar.cumulative_percentage for bar in self.bars]

    def vital_few(self, threshold: float = 0.8) -> tuple[ParetoBar, ...]:
        """The bars that together make up ``threshold`` of the total (the 80/20 rule): every bar up to
        and including the first whose cumulative proportion reaches it. Empty when the total is zero."""
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be more than 0 and at most 1")
        chosen: list[ParetoBar] = []
        for bar in self.bars:
            if bar.count == 0:
                break
            chosen.append(bar)
            if bar.cumulative_proportion >= threshold - 1e-12:
                break
        return tuple(chosen)


def pareto(
    categories: Sequence[str | None],
    counts: Sequence[int],
    *,
    use_na: bool = False,
    missing_label: str = "Not recorded",
) -> ParetoResult:
    """Counts per category, ordered as ``paretochart()`` orders them, with running totals and shares.

    ``categories`` may hold None for the missing category; its counts are left out unless ``use_na``.
    A category named twice has its counts added together. Counts must be whole numbers of 0 or more,
    and at least one must be more than 0 (R would divide by zero and draw nothing).
    """
    if len(categories) != len(counts):
        raise ValueError("categories and counts must have the same length")
    totals: dict[str, int] = {}
    missing = 0
    saw_missing = False
    for category, count in zip(categories, counts, strict=True):
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError("counts must be whole numbers")
        if count < 0:
            raise ValueError("counts must be 0 or more")
        if category is None:
            missing += count
            saw_missing = True
            continue
        if category == missing_label:
            raise ValueError(f"{missing_label!r} is the name of the missing category; use None for it")
        totals[category] = totals.get(category, 0) + count
    table: list[tuple[str, int, bool]] = [(name, n, False) for name, n in totals.items()]
    if use_na and saw_missing:
        table.append((missing_label, missing, True))
    total = sum(n for _name, n, _missing in table)
    if total == 0:
        raise ValueError("there is nothing to count: every count is 0")
    # sorted() is stable, as R's order() is: equal counts keep the table's order (NA last).
    ordered = sorted(table, key=lambda row: -row[1])
    bars: list[ParetoBar] = []
    running = 0
    for name, n, is_missing in ordered:
        running += n
        bars.append(
            ParetoBar(
                category=name,
                count=n,
                cumulative_count=running,
                proportion=n / total,
                cumulative_proportion=running / total,
                is_missing=is_missing,
            )
        )
    return ParetoResult(bars=tuple(bars), total=total)


def pareto_from_values(
    values: Iterable[Hashable | None], *, use_na: bool = False, missing_label: str = "Not recorded"
) -> ParetoResult:
    """``paretochart(x)`` for raw observations: tabulated like R's ``table()`` (categories sorted by
    name, by code point: R sorts by the locale's collation, which differs only for mixed case and
    accents), then as ``pareto``. None (and float NaN) is the missing value."""
    tally: Counter[str] = Counter()
    missing = 0
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            missing += 1
        else:
            tally[str(value)] += 1
    names = sorted(tally)
    categories: list[str | None] = list(names)
    counts = [tally[name] for name in names]
    if missing:
        categories.append(None)
        counts.append(missing)
    return pareto(categories, counts, use_na=use_na, missing_label=missing_label)
