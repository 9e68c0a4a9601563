"""The data grid as a set of forms: one `DataRowForm` per period, built from what is stored (to show)
or from what the person posted (to save), and built again after a conflict so that the person sees what
the other person saved next to what they typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict

from openqi.core.params import MalformedRequest, count_param
from openqi.measures.dataio import DataRow
from openqi.measures.dataio.dates import describe_period
from openqi.measures.forms import DataRowForm, decimal_text
from openqi.measures.models import DataKind, DataPoint, Measure
from openqi.measures.periods import GRID_RECENT_ROWS, grid_window
from openqi.measures.services.data import DataConflict

# However many rows a post claims, the grid never builds more forms than this.
MAX_ROWS = 400
NOT_SENT_IN_FULL = (
    "The data could not be saved because the page was not sent in full. Go back to the data page, "
    "reload it and enter the data again."
)


def stored_fields(point: DataPoint | None) -> dict[str, str]:
    """A stored point as the grid shows it, and as the hidden record of what the person saw."""
    shown = {
        "value": decimal_text(point.value) if point else "",
        "numerator": decimal_text(point.numerator) if point else "",
        "denominator": decimal_text(point.denominator) if point else "",
        "comment": point.comment if point else "",
    }
    return {**shown, **{f"orig_{k}": v for k, v in shown.items()}}


def describe_point(measure: Measure, point: DataPoint | None) -> str:
    if point is None:
        return "no data (it was deleted)"
    if measure.has_denominator:
        text = f"{decimal_text(point.numerator)} out of {decimal_text(point.denominator)}"
    else:
        text = decimal_text(point.value)
    return f"{text} with the comment \u2018{point.comment}\u2019" if point.comment else text


def stored_and_blank(measure: Measure, start: dt.date | None) -> tuple[list[DataPoint], list[dt.date]]:
    """The points the grid shows (recent ones, and any in the periods offered) and the blank periods."""
    recent = list(measure.points.order_by("-period")[:GRID_RECENT_ROWS])
    recent.reverse()
    window = grid_window([p.period for p in recent], start, measure.frequency, today=dt.date.today())
    existing = {p.period: p for p in measure.points.filter(period__in=window.new)}
    points = [p for p in recent if p.period in window.recent]
    points += [existing[p] for p in window.new if p in existing]
    blank = [p for p in window.new if p not in existing]
    return sorted(points, key=lambda p: p.period), blank


class DataGrid:
    """The grid's forms, and for each whether it was an empty row when the page was shown."""

    def __init__(
        self,
        measure: Measure,
        form_kwargs: dict[str, Any],
        forms: list[DataRowForm],
        new: list[bool],
        *,
        data: QueryDict | None = None,
        conflict_errors: list[tuple[str, str]] | None = None,
    ) -> None:
        self.measure = measure
        self.form_kwargs = form_kwargs
        self.forms = forms
        self.new = new
        self.data = data
        self.conflict_errors = conflict_errors or []

    @staticmethod
    def _form_kwargs(measure: Measure, guard: dict[str, Any]) -> dict[str, Any]:
        return {
            "has_denominator": measure.has_denominator,
            "allow_above": measure.kind == DataKind.RATE,
            **guard,
        }

    @classmethod
    def stored(cls, measure: Measure, start: dt.date | None, *, guard: dict[str, Any]) -> DataGrid:
        """The grid as the page first shows it: stored periods, then blank ones from `start`."""
        points, blank = stored_and_blank(measure, start)
        initial = [({"period": p.period, **stored_fields(p)}, False) for p in points]
        initial += [({"period": day}, True) for day in blank]
        kwargs = cls._form_kwargs(measure, guard)
        forms = [
            DataRowForm(initial=row, prefix=f"row-{i}", **kwargs) for i, (row, _new) in enumerate(initial)
        ]
        return cls(measure, kwargs, forms, [new for _row, new in initial])

    @classmethod
    def posted(cls, measure: Measure, data: QueryDict, *, guard: dict[str, Any]) -> DataGrid:
        count = count_param(data.get("rows", "0"))
        if count is None:
            raise MalformedRequest(NOT_SENT_IN_FULL)
        count = min(count, MAX_ROWS)
        kwargs = cls._form_kwargs(measure, guard)
        forms = [DataRowForm(data, prefix=f"row-{i}", **kwargs) for i in range(count)]
        return cls(measure, kwargs, forms, [not f.had_data for f in forms], data=data)

    def is_valid(self) -> bool:
        # Every row is validated (not just up to the first bad one), so every problem is shown.
        return sum(not f.is_valid() for f in self.forms) == 0

    @property
    def changed(self) -> list[DataRowForm]:
        """Only the rows the person changed are saved, each checked against what they saw."""
        return [f for f in self.forms if f.is_changed]

    def rows_to_save(self) -> list[DataRow]:
        return [f.data_row() for f in self.changed if not f.cleaned_data["delete"]]

    def periods_to_delete(self) -> list[dt.date]:
        return [f.cleaned_data["period"] for f in self.changed if f.cleaned_data["delete"]]

    def originals(self) -> dict[dt.date, DataRow | None]:
        return {f.cleaned_data["period"]: f.original() for f in self.changed}

    def period_of(self, form: DataRowForm) -> dt.date:
        if not form.is_bound:
            period: dt.date = form.initial["period"]
            return period
        if form.cleaned_data.get("period"):
            period = form.cleaned_data["period"]
            return period
        try:
            return dt.date.fromisoformat(str(form.data.get(f"{form.prefix}-period", "")))
        except ValueError:
            return dt.date.today()

    @property
    def first_field(self) -> str:
        """The box a row's error links to."""
        return "numerator" if self.measure.has_denominator else "value"

    def after_conflict(self, conflict: DataConflict) -> DataGrid:
        """Nothing was saved. The grid is shown again: rows the person changed keep what they typed, and
        every row's record of what was seen becomes what is saved now, so saving again (having read the
        message) replaces the other person's values deliberately. Rows the person did not change show
        the values now saved."""
        assert self.data is not None, "only a posted grid can conflict"
        measure = self.measure
        periods = [f.cleaned_data["period"] for f in self.forms]
        saved = {p.period: p for p in measure.points.filter(period__in=periods)}
        data = self.data.copy()
        for f in self.forms:
            keep_typed = f.is_changed
            for name, text in stored_fields(saved.get(f.cleaned_data["period"])).items():
                if name.startswith("orig_") or not keep_typed:
                    data[f.add_prefix(name)] = text
        rebuilt = [DataRowForm(data, prefix=f.prefix, **self.form_kwargs) for f in self.forms]
        conflicted = dict(conflict.conflicts)
        errors: list[tuple[str, str]] = [("", conflict.message)]
        for f in rebuilt:
            f.is_valid()
            period = f.cleaned_data.get("period")
            if period in conflicted:
                message = (
                    f"{describe_period(period, measure.frequency)}: someone else saved this period while you "
                    f"were editing. It now says {describe_point(measure, conflicted[period])}. Your value is "
                    "kept below."
                )
                f.add_error(None, message)
                errors.append((f"{f.prefix}-{self.first_field}", message))
        return DataGrid(
            measure,
            self.form_kwargs,
            rebuilt,
            [not f.had_data for f in rebuilt],
            data=data,
            conflict_errors=errors,
        )
