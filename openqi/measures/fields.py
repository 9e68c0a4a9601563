"""The form field for the numbers a measure holds: a data point's value, numerator and denominator, and its
target. It reads what a person types as the import reads a cell (`dataio.read_number`) and checks it against
the database column (`dataio.numeric.NumberColumn`), so the grid, the forms and the import agree on what is a
number and none of them accepts one the database cannot hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from openqi.measures.dataio.numeric import DATA_NUMBER, NumberColumn, NumberProblem, read_number


class NumberField(forms.DecimalField):
    """`column` says what the number may hold; a model's NumberColumnField passes its digits instead."""

    def __init__(
        self,
        *,
        column: NumberColumn | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        if column is None:
            column = (
                NumberColumn(max_digits, decimal_places)
                if max_digits is not None and decimal_places is not None
                else DATA_NUMBER
            )
        kwargs.setdefault("error_messages", {}).setdefault("min_value", "Enter 0 or more")
        super().__init__(max_digits=column.max_digits, decimal_places=column.decimal_places, **kwargs)
        self.column = column

    def problem_message(self, problem: NumberProblem) -> str:
        if problem is NumberProblem.DECIMAL_COMMA:
            return "Use a full stop for decimals, like 1.5"
        if problem is NumberProblem.EXPONENT:
            return "Enter the number in full, like 1200 or 0.05, not in scientific notation"
        if problem is NumberProblem.TOO_LARGE:
            return f"Enter a number less than {self.column.limit_text}"
        return "Enter a number, like 12 or 12.5"

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        result = read_number(value if isinstance(value, int | float | Decimal) else str(value), self.column)
        if result is NumberProblem.BLANK:
            return None
        if isinstance(result, NumberProblem):
            raise ValidationError(self.problem_message(result), code=result.value)
        return result
