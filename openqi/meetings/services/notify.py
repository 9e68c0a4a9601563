"""E-mail about actions and meetings, as each person asked (NotificationPreference): nothing, one daily
digest, or straight away.

- Straight away: a person is told when an action is given to them.
- The daily digest (for "daily" and "straight away" alike): overdue actions and tomorrow's meetings with
  their papers, one e-mail per person per day, sent by `send_daily_digests` (a background task, started by
  cron through `manage.py send_meeting_digests`).
- Invitations and cancellations are not notifications: they carry the calendar entry and always go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openqi.core.formatting import date_and_time, long_date
from openqi.core.mail import subject_line
from openqi.core.tasks import background_task, enqueue_on_commit
from openqi.meetings.models import Action, EmailFrequency, Meeting, NotificationPreference
from openqi.projects.access import visible_projects

User = get_user_model()


def frequency_of(person: Any) -> str:
    preference = NotificationPreference.objects.filter(person=person).first()
    return preference.frequency if preference else EmailFrequency.DAILY


def set_frequency(person: Any, frequency: str) -> NotificationPreference:
    if frequency not in EmailFrequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    preference, _ = NotificationPreference.objects.update_or_create(
        person=person, defaults={"frequency": frequency}
    )
    return preference


def _site(path: str, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + path


def action_assigned(action: Action, *, by: Any) -> None:
    """Tell the action's owner at once, if that is what they asked for."""
    owner = action.owner
    if owner is None or not owner.email or frequency_of(owner) != EmailFrequency.IMMEDIATE:
        return
    enqueue_on_commit(send_action_notice, organisation_id=action.project.organisation_id, action_id=action.pk)


@background_task(label="E-mail a new action to its owner", attempts=3)
def send_action_notice(*, organisation_id: int | None, action_id: int) -> int:
    action = Action.objects.select_related("owner", "project", "created_by").filter(pk=action_id).first()
    if action is None or action.owner is None or action.is_done:
        return 0
    by = action.created_by.display_name if action.created_by else "Someone"
    due = f"Due: {long_date(action.due_on)}\n" if action.due_on else ""
    link = _site(reverse("meetings:project_actions", kwargs={"pk": action.project_id}))
    text = (
        f"{by} has given you an action on the OpenQI project ‘{action.project.title}’:\n\n"
        f"{action.description}\n\n{due}\nSee the project's actions: {link}\n\n"
        f"You can change how often OpenQI e-mails you: {_site(reverse('meetings:preferences'))}\n"
    )
    return send_mail(subject_line(f"New action: {action.project.title}"), text, None, [action.owner.email])


def papers_added(meeting: Meeting, papers: Iterable[Any], *, by: Any) -> None:
    """Tell the people invited who asked to hear at once that the meeting has new papers."""
    invited = [a.person_id for a in meeting.attendance.all() if a.person_id != getattr(by, "pk", None)]
    wanting = list(
        NotificationPreference.objects.filter(
            person_id__in=invited, frequency=EmailFrequency.IMMEDIATE, person__is_active=True
        ).values_list("person_id", flat=True)
    )
    if wanting:
        enqueue_on_commit(
            send_papers_notice,
            organisation_id=meeting.project.organisation_id,
            meeting_id=meeting.pk,
            paper_ids=[p.pk for p in papers],
            person_ids=sorted(wanting),
        )


@background_task(label="E-mail new meeting papers to the people invited", attempts=3)
def send_papers_notice(
    *, organisation_id: int | None, meeting_id: int, paper_ids: list[int], person_ids: list[int]
) -> int:
    meeting = (
        Meeting.objects.select_related("project").filter(pk=meeting_id, cancelled_at__isnull=True).first()
    )
    if meeting is None:
        return 0
    papers = list(meeting.papers.filter(pk__in=paper_ids))
    if not papers:
        return 0
    kwargs = {"pk": meeting.project_id, "meeting_pk": meeting.pk}
    lines = [
        f"New papers for ‘{meeting.title}’ ({meeting.project.title}), {date_and_time(meeting.start)}:",
        "",
        *(
            f"{p.original_name}: {_site(reverse('meetings:paper', kwargs={**kwargs, 'paper_pk': p.pk}))}"
            for p in papers
        ),
        "",
        f"The meeting: {_site(reverse('meetings:detail', kwargs=kwargs))}",
        f"You can change how often OpenQI e-mails you: {_site(reverse('meetings:preferences'))}",
    ]
    sent = 0
    for person in User.objects.filter(pk__in=person_ids, is_active=True).exclude(email=""):
        # Still invited, and still able to see the project (they may have left the team since).
        if not meeting.attendance.filter(person=person).exists():
            continue
        if not visible_projects(person).filter(pk=meeting.project_id).exists():
            continue
        sent += send_mail(
            subject_line(f"New papers: {meeting.title}"), "\n".join(lines) + "\n", None, [person.email]
        )
    return sent


@dataclass(frozen=True)
class Digest:
    person: Any
    day: dt.date
    overdue: list[Action]
    tomorrow: list[Meeting]

    @property
    def is_empty(self) -> bool:
        return not self.overdue and not self.tomorrow


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def meetings_on(person: Any, day: dt.date) -> list[Meeting]:
    start, end = _day_bounds(day)
    return list(
        Meeting.objects.filter(
            attendance__person=person,
            start__gte=start,
            start__lt=end,
            cancelled_at__isnull=True,
            project__in=visible_projects(person),
        )
        .select_related("project")
        .prefetch_related("papers")
        .order_by("start")
    )


def digest_for(person: Any, day: dt.date) -> Digest:
    overdue = list(
        Action.objects.filter(
            owner=person, done_on__isnull=True, due_on__lt=day, project__in=visible_projects(person)
        )
        .select_related("project")
        .order_by("due_on", "id")
    )
    return Digest(person, day, overdue, meetings_on(person, day + dt.timedelta(days=1)))


def digest_text(digest: Digest, base_url: str | None = None) -> str:
    lines = [f"Your OpenQI reminders for {long_date(digest.day)}.", ""]
    if digest.tomorrow:
        lines += ["Tomorrow's meetings", "-------------------"]
        for meeting in digest.tomorrow:
            lines.append(f"{meeting.title} ({meeting.project.title}): {date_and_time(meeting.start)}")
            if meeting.place:
                lines.append(f"  Place: {meeting.place}")
            if meeting.video_link:
                lines.append(f"  Video link: {meeting.video_link}")
            details = reverse("meetings:detail", kwargs={"pk": meeting.project_id, "meeting_pk": meeting.pk})
            lines.append(f"  Details: {_site(details, base_url)}")
            for paper in meeting.papers.all():
                url = reverse(
                    "meetings:paper",
                    kwargs={"pk": meeting.project_id, "meeting_pk": meeting.pk, "paper_pk": paper.pk},
                )
                lines.append(f"  Paper: {paper.original_name} {_site(url, base_url)}")
            lines.append("")
    if digest.overdue:
        lines += ["Overdue actions", "---------------"]
        for action in digest.overdue:
            lines.append(f"{action.description} ({action.project.title}), due {long_date(action.due_on)}")
        lines += ["", f"Your actions: {_site(reverse('meetings:my_actions'), base_url)}", ""]
    lines.append(
        f"You can change how often OpenQI e-mails you: {_site(reverse('meetings:preferences'), base_url)}"
    )
    return "\n".join(lines) + "\n"


def people_with_something_tomorrow_or_overdue(day: dt.date) -> Iterable[Any]:
    start, end = _day_bounds(day + dt.timedelta(days=1))
    wants = ~Q(notification_preference__frequency=EmailFrequency.NONE)
    has_something = Q(actions__done_on__isnull=True, actions__due_on__lt=day) | Q(
        meeting_attendance__meeting__start__gte=start,
        meeting_attendance__meeting__start__lt=end,
        meeting_attendance__meeting__cancelled_at__isnull=True,
    )
    already = Q(notification_preference__last_digest_on__gte=day)
    ids = User.objects.filter(has_something).filter(wants).exclude(already).exclude(email="").values("pk")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def send_digest(person: Any, day: dt.date) -> bool:
    """Send the person's digest for `day` if there is anything in it and none went today."""
    digest = digest_for(person, day)
    if digest.is_empty:
        return False
    preference, _ = NotificationPreference.objects.get_or_create(person=person)
    if preference.frequency == EmailFrequency.NONE or (
        preference.last_digest_on is not None and preference.last_digest_on >= day
    ):
        return False
    parts = []
    if digest.tomorrow:
        parts.append(f"{len(digest.tomorrow)} meeting{'s' if len(digest.tomorrow) > 1 else ''} tomorrow")
    if digest.overdue:
        parts.append(f"{len(digest.overdue)} overdue action{'s' if len(digest.overdue) > 1 else ''}")
    send_mail(subject_line("OpenQI: " + " and ".join(parts)), digest_text(digest), None, [person.email])
    preference.last_digest_on = day
    preference.save(update_fields=["last_digest_on"])
    return True


def send_daily_digests(day: dt.date | None = None) -> int:
    """One digest to every person who has something in it; returns how many were sent."""
    day = day or timezone.localdate()
    return sum(send_digest(person, day) for person in people_with_something_tomorrow_or_overdue(day))


@background_task(label="Send the daily meeting and action reminders", attempts=3)
def send_daily_digests_task(*, organisation_id: int | None, day: str) -> int:
    return send_daily_digests(dt.date.fromisoformat(day))
