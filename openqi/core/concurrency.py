"""Optimistic concurrency: two people editing the same record must never overwrite each other
silently. Each versioned record carries a number; a save names the number it started from and is
refused if someone else saved in between."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.db import models
from django.db.models import signals
from django.http import QueryDict

T = TypeVar("T")


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


@dataclass(frozen=True)
class EditAttempt(Generic[T]):
    """What became of an edit: saved (with what the service returned), or refused; after a conflict
    `latest` is the record as the other person saved it, for the page to show beside the person's text."""

    saved: bool
    result: T | None = None
    latest: Any = None


def attempt_edit(
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    reload: Callable[[], VersionedModel],
    refusals: Mapping[type[Exception], str | None] | None = None,
) -> EditAttempt[T]:
    """The one edit-with-conflict step every edit page takes. `save` calls the service; if someone else
    saved first, `reload` fetches the record as it is now and the form is re-shown with the message and
    that version (see show_conflict). `refusals` maps a service's own refusal (an exception whose text
    is written for the person) to the form field it concerns, None for the whole form."""
    refusals = refusals or {}
    try:
        result = save()
    except EditConflict:
        latest = reload()
        show_conflict(form, latest.version)
        return EditAttempt(saved=False, latest=latest)
    except tuple(refusals) as problem:
        field = next(refusals[kind] for kind in refusals if isinstance(problem, kind))
        form.add_error(field, str(problem))
        return EditAttempt(saved=False)
    return EditAttempt(saved=True, result=result)
