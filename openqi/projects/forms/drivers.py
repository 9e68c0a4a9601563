"""Forms for the driver diagram. Titles and descriptions are free text, so the personal-data guard
checks them like every other QI record.

The edit forms carry the record's version, so a save over someone else's newer edit is refused and the
person's text is redisplayed."""

from __future__ import annotations

from typing import Any

from django import forms

from openqi.core.concurrency import VersionField
from openqi.privacy.forms import PersonalDataGuardMixin
from openqi.projects.models import ChangeIdea, Driver, Project


class DriverForm(PersonalDataGuardMixin, forms.Form):
    title = forms.CharField(
        label="Driver",
        max_length=300,
        help_text="A short phrase for something that must be in place to reach the aim, "
        "for example \u2018Timely first appointments\u2019.",
        error_messages={
            "required": "Enter the driver",
            "max_length": "The driver must be 300 characters or fewer",
        },
    )


class DriverRenameForm(DriverForm):
    version = VersionField()

    def __init__(self, *args: Any, driver: Driver, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(title=driver.title, version=driver.version)
        super().__init__(*args, **kwargs)


class DriverChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Driver) -> str:
        if obj.parent_id is None:
            return f"Primary driver: {obj.title}"
        return f"Secondary driver: {obj.title} (under {obj.parent.title})"  # type: ignore[union-attr]


class ChangeIdeaForm(PersonalDataGuardMixin, forms.Form):
    title = forms.CharField(
        label="Change idea",
        max_length=300,
        help_text="Something the team could try, for example \u2018Text reminder the day before each "
        "session\u2019.",
        error_messages={
            "required": "Enter the change idea",
            "max_length": "The change idea must be 300 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the change involves and where the idea came from.",
    )
    drivers = DriverChoiceField(
        queryset=Driver.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which drivers does it act on?",
        help_text="Select all that apply. Most change ideas act on a secondary driver.",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Primary drivers, each followed by its secondary drivers, as they appear in the diagram.
        ordered: list[Driver] = []
        drivers = list(project.drivers.select_related("parent"))
        for primary in (d for d in drivers if d.parent_id is None):
            ordered.append(primary)
            ordered.extend(d for d in drivers if d.parent_id == primary.pk)
        field: DriverChoiceField = self.fields["drivers"]  # type: ignore[assignment]
        field.queryset = project.drivers.select_related("parent")
        field.choices = [(d.pk, field.label_from_instance(d)) for d in ordered]


class ChangeIdeaEditForm(ChangeIdeaForm):
    version = VersionField()

    def __init__(self, *args: Any, idea: ChangeIdea, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(
            title=idea.title,
            description=idea.description,
            drivers=[d.pk for d in idea.drivers.all()],
            version=idea.version,
        )
        super().__init__(*args, **kwargs)
