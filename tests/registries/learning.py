"""Learning's forms for the hostile-input fuzz (tests/test_fuzz_forms.py). Every free-text field is guarded,
so there is no NOT_GUARDED."""

from __future__ import annotations

from typing import Any

from openqi.learning import forms
from openqi.learning.models import Programme
from openqi.organisations.models import Directorate

L = "openqi.learning.forms"


def _people(t: Any) -> list[Any]:
    return [t.world.coach, t.world.partner]


FORMS: dict[str, Any] = {
    f"{L}.ProgrammeForm": lambda t, kw: forms.ProgrammeForm(
        programmes=list(Programme.objects.filter(organisation=t.world.trust)), versioned=True, **kw
    ),
    f"{L}.CohortForm": lambda t, kw: forms.CohortForm(people=_people(t), versioned=True, **kw),
    f"{L}.SessionForm": lambda t, kw: forms.SessionForm(people=_people(t), **kw),
    f"{L}.EnrolForm": lambda t, kw: forms.EnrolForm(
        directorates=list(Directorate.objects.filter(organisation=t.world.trust)), **kw
    ),
    f"{L}.AddPersonForm": lambda t, kw: forms.AddPersonForm(
        people=_people(t), directorates=list(Directorate.objects.filter(organisation=t.world.trust)), **kw
    ),
    f"{L}.CohortTeamForm": lambda t, kw: forms.CohortTeamForm(projects=[t.project], **kw),
    f"{L}.RegisterForm": lambda t, kw: forms.RegisterForm(enrolments=[], **kw),
    f"{L}.FeedbackForm": lambda t, kw: forms.FeedbackForm(block=True, **kw),
    f"{L}.RecordImportForm": lambda t, kw: forms.RecordImportForm(**kw),
    f"{L}.ReportForm": lambda t, kw: forms.ReportForm(years=[2025, 2026], **kw),
}
