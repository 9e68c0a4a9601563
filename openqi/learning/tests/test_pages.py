"""The QI team's pages: forms answer with NHS.UK errors (never a 500), edits meet the optimistic lock, and
free text passes the personal-data guard."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from openqi.core.concurrency import EditConflict
from openqi.learning.models import Cohort, CohortTeam, Enrolment, Feedback, Programme, Session
from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, SessionFactory

PROGRAMME = {
    "name": "Pocket QI",
    "audience": "both",
    "kind": "course",
    "completion_percent": "80",
    "position": "2",
}


def _admin(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.admin)
    return client


def test_the_qi_team_builds_a_programme_cohort_and_session(world) -> None:  # type: ignore[no-untyped-def]
    client = _admin(world)
    response = client.post(reverse("learning:programme_add"), PROGRAMME)
    programme = Programme.objects.get(name="Pocket QI")
    assert response.url == reverse("learning:programme", kwargs={"pk": programme.pk})
    # The same name again is an error next to the field, not a database error.
    again = client.post(reverse("learning:programme_add"), PROGRAMME)
    assert again.status_code == 200
    assert "There is already a programme with this name" in again.content.decode()

    cohort_url = reverse("learning:cohort_add", kwargs={"pk": programme.pk})
    client.post(
        cohort_url,
        {
            "name": "Run 5",
            "starts_on": "14/1/2027",
            "capacity": "12",
            "self_enrolment": "on",
            "facilitators": [str(world.coach.pk)],
        },
    )
    cohort = Cohort.objects.get(name="Run 5")
    assert cohort.starts_on == dt.date(2027, 1, 14) and list(cohort.facilitators.all()) == [world.coach]
    wrong = client.post(
        cohort_url, {"name": "Run 5", "starts_on": "14/1/2027", "ends_on": "1/1/2027", "capacity": "0"}
    )
    body = wrong.content.decode()
    assert "There is a problem" in body
    assert "The programme already has a cohort with this name" in body
    assert (
        "The end date must be on or after the start date" in body
        and "Places must be between 1 and 1000" in body
    )

    client.post(
        reverse("learning:session_add", kwargs={"pk": cohort.pk}),
        {
            "title": "Aims and measures",
            "date": "14/1/2027",
            "starts_at": "10:00",
            "ends_at": "12:30",
            "place": "Online",
        },
    )
    assert Session.objects.get(cohort=cohort).title == "Aims and measures"


def test_an_edit_made_meanwhile_is_not_overwritten(world) -> None:  # type: ignore[no-untyped-def]
    programme = ProgrammeFactory(organisation=world.trust, name="Pocket QI")
    client = _admin(world)
    programme.name = "Pocket QI (2 half days)"
    programme.save_versioned(programme.version)  # someone else saved first
    response = client.post(
        reverse("learning:programme_edit", kwargs={"pk": programme.pk}),
        {**PROGRAMME, "name": "Pocket QI: the basics", "version": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and EditConflict.message in body
    assert "Pocket QI (2 half days)" in body  # the latest saved version is shown
    programme.refresh_from_db()
    assert programme.name == "Pocket QI (2 half days)"
    saved = client.post(
        reverse("learning:programme_edit", kwargs={"pk": programme.pk}),
        {**PROGRAMME, "name": "Pocket QI: the basics", "version": "2"},
    )
    assert saved.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Pocket QI: the basics"


def test_feedback_comments_pass_the_personal_data_guard(world) -> None:  # type: ignore[no-untyped-def]
    session = SessionFactory(cohort=CohortFactory(programme=ProgrammeFactory(organisation=world.trust)))
    EnrolmentFactory(cohort=session.cohort, user=world.partner)
    client = Client()
    client.force_login(world.partner)
    answers = {
        "useful": "yes",
        "rating": "4",
        "usefulness": "4",
        "comment": "My neighbour, NHS number 943 476 5919.",
    }
    url = reverse("learning:feedback", kwargs={"pk": session.pk})
    warned = client.post(url, answers).content.decode()
    assert "This looks like an NHS number" in warned and not Feedback.objects.exists()
    assert client.post(url, {**answers, "comment": "Clear examples."}).status_code == 302
    assert Feedback.objects.get().comment == "Clear examples."


def test_only_people_on_the_team_see_the_training_prompt(world, projects) -> None:  # type: ignore[no-untyped-def]
    ProgrammeFactory(organisation=world.trust, name="Pocket QI")
    url = reverse("projects:team", kwargs={"pk": projects.shared.pk})
    for person, shown in (("lead", True), ("coach", True), ("sponsor", False), ("member", False)):
        client = Client()
        client.force_login(getattr(world, person))
        body = client.get(url).content.decode()
        assert ("Training for the team" in body) == shown, person
        assert "No training yet" in body  # the column is for every reader of the team page


def test_the_qi_team_enrols_people_and_adds_teams_with_their_projects(world, projects) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory(programme=ProgrammeFactory(organisation=world.trust, kind="team"), capacity=1)
    client = _admin(world)
    url = reverse("learning:enrolment_add", kwargs={"pk": cohort.pk})
    for person in (world.lead, world.member):
        client.post(url, {"person": str(person.pk), "group": "staff"})
    assert dict(Enrolment.objects.values_list("user__email", "status")) == {
        world.lead.email: "enrolled",
        world.member.email: "waiting",  # one place only
    }
    again = client.post(url, {"person": str(world.lead.pk), "group": "staff"}).content.decode()
    assert "Tom Price is already enrolled." in again
    outsider = client.post(url, {"person": str(world.outsider.pk), "group": "staff"}).content.decode()
    assert "Select a valid choice" in outsider  # only the organisation's people are offered

    client.post(
        reverse("learning:team_add", kwargs={"pk": cohort.pk}),
        {"name": "Wellbeing team", "project": str(projects.shared.pk)},
    )
    assert CohortTeam.objects.get().project == projects.shared
    page = client.get(reverse("learning:cohort", kwargs={"pk": cohort.pk})).content.decode()
    assert "Wellbeing team" in page and "Shared project" in page
