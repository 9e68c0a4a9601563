"""The meetings app's forms for the hostile-input fuzz and the personal-data coverage."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqi.meetings import forms
from openqi.meetings.models import Attendance, Meeting

F = "openqi.meetings.forms"


def _attendance(things: Any, kw: dict[str, Any]) -> Any:
    meeting = Meeting.objects.create(
        project=things.project, title="Team meeting", start=timezone.now(), end=timezone.now()
    )
    rows = [Attendance.objects.create(meeting=meeting, person=things.world.partner)]
    return forms.AttendanceForm(rows=rows, **kw)


FORMS = {
    f"{F}.MeetingForm": lambda t, kw: forms.MeetingForm(**kw),
    f"{F}.MeetingEditForm": lambda t, kw: forms.MeetingEditForm(**kw),
    f"{F}.ScheduleForm": lambda t, kw: forms.ScheduleForm(project=t.project, **kw),
    f"{F}.PapersForm": lambda t, kw: forms.PapersForm(already=2, **kw),
    f"{F}.MinutesForm": lambda t, kw: forms.MinutesForm(**kw),
    f"{F}.AttendanceForm": _attendance,
    f"{F}.CancelForm": lambda t, kw: forms.CancelForm(**kw),
    f"{F}.InviteForm": lambda t, kw: forms.InviteForm(project=t.project, invited=[t.world.lead.pk], **kw),
    f"{F}.ActionForm": lambda t, kw: forms.ActionForm(project=t.project, **kw),
    f"{F}.ActionEditForm": lambda t, kw: forms.ActionEditForm(project=t.project, **kw),
    f"{F}.ActionDoneForm": lambda t, kw: forms.ActionDoneForm(**kw),
    f"{F}.PreferencesForm": lambda t, kw: forms.PreferencesForm(**kw),
}
