"""Handing over the lead: one action with a confirmation page, one lead unless co-lead is chosen, the
timeline's wording, and same-day events in the order they happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openqi.projects.models import LeadHandover, PreviousLead, TeamRole
from openqi.projects.presenters.timeline import timeline_for
from openqi.projects.services import team as services
from openqi.projects.tests.factories import StoryEntryFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def current(project, role):  # type: ignore[no-untyped-def]
    return {m.user_id for m in project.team.filter(role=role, left_on__isnull=True)}


def test_the_handover_is_confirmed_before_anything_changes(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    TeamMemberFactory(project=project, user=world.member, role=TeamRole.MEMBER)
    url = reverse("projects:team_handover", args=[project.pk])
    lead = client_for(world.lead)
    assert "Hand over the lead" in lead.get(reverse("projects:team", args=[project.pk])).content.decode()
    today = timezone.localdate()
    form = {
        "previous_lead": str(world.lead.pk),
        "new_lead": str(world.member.pk),
        "handed_over_on": f"{today.day}/{today.month}/{today.year}",
        "previous_lead_becomes": "member",
        "note": "Tom moves to the new service.",
    }
    check = lead.post(url, form)
    body = check.content.decode()
    assert check.status_code == 200 and "Check the handover" in body and "Aisha Khan" in body
    assert current(project, TeamRole.LEAD) == {world.lead.pk}  # nothing changed yet
    done = lead.post(url, {**form, "confirmed": "yes"})
    assert done.status_code == 302
    assert current(project, TeamRole.LEAD) == {world.member.pk}
    assert world.lead.pk in current(project, TeamRole.MEMBER)
    assert world.member.pk not in current(project, TeamRole.MEMBER)  # leading includes it
    titles = [i.title for i in timeline_for(project)]
    expected = f"Aisha Khan took over as lead from Tom Price on {today.day} {today:%B %Y}"
    assert expected in titles
    assert not any("left the role of project lead" in t for t in titles)


def test_co_lead_only_when_chosen_and_the_previous_lead_may_leave(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    today = timezone.localdate()
    services.hand_over_lead(
        project,
        previous=world.lead,
        new_lead=world.partner,
        on=today,
        previous_lead_becomes=PreviousLead.CO_LEAD,
        note="",
        by=world.coach,
    )
    assert current(project, TeamRole.LEAD) == {world.lead.pk, world.partner.pk}
    assert "Sam Taylor joined Tom Price as co-lead" in timeline_for(project)[0].title
    services.hand_over_lead(
        project,
        previous=world.lead,
        new_lead=world.coach,
        on=today,
        previous_lead_becomes=PreviousLead.LEAVES,
        note="",
        by=world.admin,
    )
    assert current(project, TeamRole.LEAD) == {world.partner.pk, world.coach.pk}
    assert not project.team.filter(user=world.lead, left_on__isnull=True).exists()
    assert LeadHandover.objects.filter(project=project).count() == 2


@pytest.mark.parametrize(
    "change, message",
    [
        ({"on": dt.date(2099, 1, 1)}, "today or in the past"),
        ({"new_lead": "lead"}, "someone other than the current lead"),
        ({"previous": "partner"}, "is not the project lead now"),
    ],
)
def test_handovers_that_make_no_sense_are_refused(world, projects, change, message) -> None:  # type: ignore[no-untyped-def]
    kwargs = {
        "previous": world.lead,
        "new_lead": world.partner,
        "on": timezone.localdate(),
        "previous_lead_becomes": PreviousLead.MEMBER,
        "note": "",
        "by": world.lead,
    }
    kwargs |= {k: getattr(world, v) if isinstance(v, str) else v for k, v in change.items()}
    with pytest.raises(services.TeamError, match=message):
        services.hand_over_lead(projects.shared, **kwargs)


def test_only_the_lead_the_coach_and_the_qi_team_may_hand_over(world, projects) -> None:  # type: ignore[no-untyped-def]
    url = reverse("projects:team_handover", args=[projects.shared.pk])
    for person, status in (
        (world.lead, 200),
        (world.coach, 200),
        (world.admin, 200),
        (world.partner, 403),
        (world.sponsor, 403),
    ):
        assert client_for(person).get(url).status_code == status, person


def test_a_form_with_mistakes_shows_an_error_summary(world, projects) -> None:  # type: ignore[no-untyped-def]
    page = client_for(world.lead).post(
        reverse("projects:team_handover", args=[projects.shared.pk]),
        {"previous_lead": str(world.lead.pk), "new_lead": "other", "handed_over_on": "not a date"},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert "Enter the e-mail address of the new lead" in body and "Date must be a real date" in body


def test_same_day_events_keep_the_order_they_happened_in(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    today = timezone.localdate()
    StoryEntryFactory(project=project, occurred_on=today, title="Morning huddle", author=world.lead)
    newcomer = TeamMemberFactory(project=project, user=world.member, role=TeamRole.MEMBER, joined_on=today)
    # The newcomer joined after the huddle was written up, then left later still.
    newcomer.joined_at = timezone.now() + dt.timedelta(seconds=5)
    newcomer.save()
    services.leave_team(newcomer, by=world.lead)
    newcomer.refresh_from_db()
    newcomer.left_at = timezone.now() + dt.timedelta(seconds=10)
    newcomer.save()
    todays = [i.title for i in timeline_for(project) if i.date == today]
    assert todays.index("Aisha Khan left the role of team member") < todays.index(
        "Aisha Khan joined as team member"
    )
    assert todays.index("Aisha Khan joined as team member") < todays.index("Morning huddle")


def test_a_new_lead_named_by_email_is_handed_over_to_or_invited_first(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    project = projects.shared
    url = reverse("projects:team_handover", args=[project.pk])
    today = timezone.localdate()
    form = {
        "previous_lead": str(world.lead.pk),
        "new_lead": "other",
        "handed_over_on": f"{today.day}/{today.month}/{today.year}",
        "previous_lead_becomes": "leaves",
        "confirmed": "yes",
    }
    # Someone outside the organisation is invited first; the lead does not change yet.
    with django_capture_on_commit_callbacks(execute=True):
        page = client_for(world.lead).post(url, {**form, "email": "new.person@example.org"}, follow=True)
    assert "Hand over the lead to them once they have joined" in page.content.decode()
    assert current(project, TeamRole.LEAD) == {world.lead.pk}
    assert any("new.person@example.org" in m.to for m in mail.outbox)
    # Someone already in the organisation takes over at once.
    client_for(world.lead).post(url, {**form, "email": world.member.email})
    assert current(project, TeamRole.LEAD) == {world.member.pk}
    assert not project.team.filter(user=world.lead, left_on__isnull=True).exists()
