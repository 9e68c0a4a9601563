"""Optimistic concurrency: two people editing the same record must never overwrite each other
silently. Each versioned record carries a number; a save names the number it started from and is
refused if someone else saved in between."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import signals
from django.http import QueryDict


class EditConflict(Exception):
    """Someone else saved this record after the editor opened it."""

    message = (
        "Someone else changed this record while you were editing it. Your changes have not been saved: "
        "they are kept below. Check the latest version, then save again."
    )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, expected_version: int, update_fields: list[str] | None = None) -> None:
        """Save if nobody else has since `expected_version`; raise EditConflict otherwise."""
        if self.pk is None:
            self.save()
            return
        model = type(self)
        fields = update_fields or [
            f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name != "version"
        ]
        # pre_save() gives auto_now fields (updated_at) their new value, as Model.save() would.
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        values: dict[str, Any] = {
            name: by_attname[name].pre_save(self, add=False) if name in by_attname else getattr(self, name)
            for name in fields
        }
        values["version"] = expected_version + 1
        updated = model._base_manager.filter(pk=self.pk, version=expected_version).update(**values)
        if not updated:
            raise EditConflict()
        self.version = expected_version + 1
        # A versioned save is still a save: receivers (the search index) hear of it as of Model.save().
        signals.post_save.send(
            sender=model,
            instance=self,
            created=False,
            update_fields=frozenset(fields),
            raw=False,
            using=self._state.db,
        )


class VersionField(forms.IntegerField):
    """The hidden field a form uses to carry the version the editor started from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


def show_conflict(form: forms.BaseForm, current_version: int) -> None:
    """Tell the person someone else saved first, keeping their text. The re-shown form carries the version
    now saved, so that saving again (having read the message and the latest version) is an informed
    choice that succeeds, instead of a loop of refusals that only a reload (losing the text) would end."""
    form.add_error(None, EditConflict.message)
    data = cast(QueryDict, form.data).copy()  # a POSTed form's data is a QueryDict
    data[form.add_prefix("version")] = str(current_version)
    form.data = data
