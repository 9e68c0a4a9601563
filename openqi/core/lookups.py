"""`field__in=[…]` on an integer column, for values the column cannot hold, matches nothing, as `field=` does.

Django (5.2) drops out-of-range values for `=`, `<` and `>` but sends them to the database for `in`, where
SQLite's driver fails ("Python int too large to convert to SQLite INTEGER"). Forms send ids that way: a
change idea's `drivers=<40 digits>` (a ModelMultipleChoiceField) failed the page instead of saying "Select a
valid choice". Registered on IntegerField, so every integer column and id has it (core's AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):  # type: ignore[type-arg]
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
