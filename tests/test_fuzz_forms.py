"""Every form in OpenQI, filled with hostile input: validating it never raises.

The forms are discovered (every Form and ModelForm defined in an openqi module), so a new form fails
`test_every_form_is_fuzzed` until it is added to BUILD, with whatever its constructor needs. Each field
gets a value for its kind (valid choices and hostile text for choice fields, files with hostile names and
bytes for file fields, hostile text elsewhere: openqi/core/tests/hostile.py)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.core import context
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given, note
from hypothesis import strategies as st

import openqi
from openqi.core.tests.hostile import fuzz, hostile_text
from openqi.measures.models import Measure
from openqi.measures.tests.factories import MeasureFactory
from openqi.projects.models import PDSATask
from openqi.projects.tests.factories import (
    ChangeIdeaFactory,
    DriverFactory,
    PDSACycleFactory,
    StoryEntryFactory,
)
from tests import registries

pytestmark = pytest.mark.django_db

NOT_FORMS = (".tests", ".migrations", ".management", "openqi.config.wsgi", "openqi.config.asgi")


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def discovered_forms() -> set[str]:
    """Every concrete form class defined in an openqi module ("module.Name"); a leading underscore marks a
    base class that is never used on its own."""
    for module in pkgutil.walk_packages(openqi.__path__, "openqi."):
        if not any(part in module.name for part in NOT_FORMS):
            importlib.import_module(module.name)
    return {
        f"{cls.__module__}.{cls.__name__}"
        for cls in _subclasses(forms.BaseForm)
        # Forms that tests define for themselves are not the app's (and exist only once their test ran).
        if cls.__module__.startswith("openqi.")
        and ".tests." not in cls.__module__
        and not cls.__name__.startswith("_")
    }


@dataclass
class Things:
    """What the forms' constructors are given: a project with one of each record."""

    world: Any
    project: Any
    measure: Measure
    driver: Any
    idea: Any
    cycle: Any
    task: PDSATask
    entry: Any


@pytest.fixture
def things(world, projects) -> Things:  # type: ignore[no-untyped-def]
    project = projects.shared
    driver = DriverFactory(project=project)
    idea = ChangeIdeaFactory(project=project)
    cycle = PDSACycleFactory(project=project, change_idea=idea)
    task = PDSATask.objects.create(cycle=cycle, description="Print the leaflet")
    return Things(
        world=world,
        project=project,
        measure=MeasureFactory(organisation=world.trust),
        driver=driver,
        idea=idea,
        cycle=cycle,
        task=task,
        entry=StoryEntryFactory(project=project),
    )


PERIODS = [("2025-01-06", "6 Jan 2025"), ("2025-01-13", "13 Jan 2025")]
Build = Callable[[Things, dict[str, Any]], forms.BaseForm]


def _(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


M, P, ORG = "openqi.measures.forms", "openqi.projects.forms", "openqi.organisations.forms"
BUILD: dict[str, Build] = {
    f"{M}.MeasureForm": lambda t, kw: _(M, "MeasureForm")(instance=t.measure, **kw),
    f"{M}.NewProjectMeasureForm": lambda t, kw: _(M, "NewProjectMeasureForm")(**kw),
    f"{M}.UseLibraryMeasureForm": lambda t, kw: _(M, "UseLibraryMeasureForm")(
        measures=Measure.objects.filter(organisation=t.world.trust), **kw
    ),
    f"{M}.LinksForm": lambda t, kw: _(M, "LinksForm")(
        cycles=t.project.pdsa_cycles.all(), ideas=t.project.change_ideas.all(), **kw
    ),
    f"{M}.DataRowForm": lambda t, kw: _(M, "DataRowForm")(has_denominator=True, prefix="row-0", **kw),
    f"{M}.UploadForm": lambda t, kw: _(M, "UploadForm")(block=True, **kw),
    f"{M}.ConfirmImportForm": lambda t, kw: _(M, "ConfirmImportForm")(has_updates=True, **kw),
    f"{M}.LimitChangeForm": lambda t, kw: _(M, "LimitChangeForm")(periods=PERIODS, **kw),
    f"{M}.ExcludeForm": lambda t, kw: _(M, "ExcludeForm")(periods=PERIODS, **kw),
    f"{M}.AnnotationForm": lambda t, kw: _(M, "AnnotationForm")(
        periods=PERIODS, cycles=[t.cycle], entries=[t.entry], **kw
    ),
    "openqi.accounts.forms.TokenForm": lambda t, kw: _("openqi.accounts.forms", "TokenForm")(**kw),
    "openqi.accounts.sign_in.RequestLoginCodeForm": lambda t, kw: _(
        "openqi.accounts.sign_in", "RequestLoginCodeForm"
    )(**kw),
    f"{P}.project.ProjectForm": lambda t, kw: _(f"{P}.project", "ProjectForm")(
        organisation=t.world.trust, instance=t.project, **kw
    ),
    f"{P}.project.LifecycleForm": lambda t, kw: _(f"{P}.project", "LifecycleForm")(project=t.project, **kw),
    f"{P}.project.ProgressScoreForm": lambda t, kw: _(f"{P}.project", "ProgressScoreForm")(**kw),
    f"{P}.project.ProjectFilterForm": lambda t, kw: _(f"{P}.project", "ProjectFilterForm")(
        organisation_ids=[t.world.trust.pk], coaches=[(str(t.world.coach.pk), "Dan Okafor")], **kw
    ),
    f"{P}.story.StoryEntryForm": lambda t, kw: _(f"{P}.story", "StoryEntryForm")(versioned=True, **kw),
    f"{P}.drivers.DriverForm": lambda t, kw: _(f"{P}.drivers", "DriverForm")(**kw),
    f"{P}.drivers.DriverRenameForm": lambda t, kw: _(f"{P}.drivers", "DriverRenameForm")(
        driver=t.driver, **kw
    ),
    f"{P}.drivers.ChangeIdeaForm": lambda t, kw: _(f"{P}.drivers", "ChangeIdeaForm")(project=t.project, **kw),
    f"{P}.drivers.ChangeIdeaEditForm": lambda t, kw: _(f"{P}.drivers", "ChangeIdeaEditForm")(
        idea=t.idea, project=t.project, **kw
    ),
    f"{P}.pdsa.CycleStartForm": lambda t, kw: _(f"{P}.pdsa", "CycleStartForm")(project=t.project, **kw),
    f"{P}.pdsa.PlanForm": lambda t, kw: _(f"{P}.pdsa", "PlanForm")(instance=t.cycle, **kw),
    f"{P}.pdsa.DoForm": lambda t, kw: _(f"{P}.pdsa", "DoForm")(instance=t.cycle, **kw),
    f"{P}.pdsa.StudyForm": lambda t, kw: _(f"{P}.pdsa", "StudyForm")(instance=t.cycle, **kw),
    f"{P}.pdsa.ActForm": lambda t, kw: _(f"{P}.pdsa", "ActForm")(instance=t.cycle, **kw),
    f"{P}.pdsa.TaskForm": lambda t, kw: _(f"{P}.pdsa", "TaskForm")(project=t.project, **kw),
    f"{P}.pdsa.TaskEditForm": lambda t, kw: _(f"{P}.pdsa", "TaskEditForm")(
        task=t.task, project=t.project, **kw
    ),
    "openqi.projects.views.team.TeamInviteForm": lambda t, kw: _(
        "openqi.projects.views.team", "TeamInviteForm"
    )(**kw),
    f"{ORG}.InvitationForm": lambda t, kw: _(ORG, "InvitationForm")(**kw),
    f"{ORG}.MemberForm": lambda t, kw: _(ORG, "MemberForm")(**kw),
    f"{ORG}.UnitNameForm": lambda t, kw: _(ORG, "UnitNameForm")(**kw),
    f"{ORG}.RenameForm": lambda t, kw: _(ORG, "RenameForm")(**kw),
    f"{ORG}.PersonalDataPolicyForm": lambda t, kw: _(ORG, "PersonalDataPolicyForm")(**kw),
    f"{ORG}.PriorityForm": lambda t, kw: _(ORG, "PriorityForm")(**kw),
}
# Domain apps register their forms in tests/registries/<app>.py (FORMS).
BUILD.update(registries.merged("FORMS"))


def test_every_form_is_fuzzed() -> None:
    assert discovered_forms() == set(BUILD), "add each new form to BUILD (and remove deleted ones)"


def _choices(field: forms.Field) -> list[str]:
    return [str(value) for value, _label in getattr(field, "choices", []) if str(value) != ""]


file_names = st.one_of(
    st.sampled_from(["minutes.pdf", "data.csv", "data.xlsx", "photo.jpg", "x", ".csv", "a" * 300 + ".csv"]),
    st.text(min_size=1, max_size=60).filter(lambda n: not set(n) & {"/", "\\", "\x00"} and n.strip(". ")),
)
files = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    file_names,
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from([b"period,value\n2025-01-01,1e-300000000\n", b"%PDF-1.7\n%%EOF\n", b"PK\x03\x04"]),
    ),
)


def value_for(field: forms.Field) -> Any:
    """A strategy for what a browser (or an attacker) could post for the field: a list of strings."""
    choices = _choices(field)
    one = st.one_of(st.sampled_from(choices), hostile_text) if choices else hostile_text
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(one, max_size=4)
    if isinstance(field, forms.BooleanField):
        return st.lists(st.sampled_from(["on", "", "false", "0", "1"]) | hostile_text, max_size=1)
    return st.lists(one, min_size=1, max_size=1) | st.just([])


def test_every_form_validates_any_input_without_raising(things: Things) -> None:
    # One test for all the forms, so the people and records they need are made once.
    for name in sorted(BUILD):
        check_form(things, name)


def check_form(things: Things, name: str) -> None:
    build = BUILD[name]
    blank = build(things, {})

    @fuzz(12)
    @given(data=st.data())
    def validate_any_input(data: st.DataObject) -> None:
        note(f"form: {name}")
        posted = QueryDict(mutable=True)
        uploaded: dict[str, Any] = {}
        for field_name, field in blank.fields.items():
            key = blank.add_prefix(field_name)
            if isinstance(field, forms.FileField):
                if data.draw(st.booleans()):
                    uploaded[key] = data.draw(files)
                continue
            posted.setlist(key, data.draw(value_for(field), label=field_name))
        request = RequestFactory().post("/accounts/login/code/")
        with context.request_context(request):  # allauth's forms read the request from here
            form = build(things, {"data": posted, "files": uploaded})
            form.is_valid()
            str(form.errors)  # every message can be shown

    validate_any_input()
