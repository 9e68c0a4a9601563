"""Typed errors and warnings of the SPC engine.

Every error is a ``ValueError`` so callers that only know the standard library still catch bad input, while
the web app can tell the user precisely what to fix from the subclass.
"""

from __future__ import annotations


class SPCError(ValueError):
    """Base class: the input cannot produce a trustworthy chart."""


class InputLengthError(SPCError):
    """Two inputs that describe the same points have different lengths."""


class DenominatorError(SPCError):
    """A denominator is missing, zero or negative where the chart needs a positive one."""


class NumeratorError(SPCError):
    """A numerator is impossible for the chart (negative count, or above its denominator for P charts)."""


class NonPositiveValueError(SPCError):
    """A value must be strictly positive (T charts: time between events)."""


class NegativeValueError(SPCError):
    """A value must not be negative (counts, G charts: units between events)."""


class NonFiniteValueError(SPCError):
    """A value is infinite, or missing where missing values are not allowed."""


class InsufficientDataError(SPCError):
    """Too few usable points to compute what was asked for."""


class OptionError(SPCError):
    """An option has an unknown or impossible value."""


class SPCWarning(UserWarning):
    """Base class of the engine's warnings: the chart is computed but should be read with care."""


class FewPointsWarning(SPCWarning):
    """Fewer points than recommended were used to compute the limits."""


class DuplicateXError(SPCError):
    """The same x value (date) appears twice in a series that must have one value per x."""


class ColumnError(SPCError):
    """A column named for the chart is not in the table, or holds values that are not numbers."""
