"""The coaching API × every kind of person: the caseload, coaching sessions (private notes only for the
project's coaches and the QI team), ideas and their triage, and sponsor updates — the pages' rules."""

from __future__ import annotations

import pytest
from django.utils import timezone

from openqi.api.tests.helpers import API, ApiClient
from openqi.coaching import services
from openqi.coaching.models import Idea, IdeaStatus
from openqi.projects.models import TeamRole

PEOPLE = ("lead", "partner", "coach", "sponsor", "admin", "advisor", "member", "outsider", "loner")
# GET a project's coaching sessions: (private project, shared project).
SESSIONS = {
    "lead": (200, 200),
    "partner": (200, 200),
    "coach": (200, 200),
    "sponsor": (403, 403),
    "admin": (200, 200),
    "advisor": (200, 200),
    "member": (404, 403),
    "outsider": (404, 404),
    "loner": (404, 404),
}
PRIVATE_READERS = {"coach", "admin", "advisor"}
CASELOAD = dict.fromkeys(PEOPLE, 403) | {"coach": 200, "admin": 200, "advisor": 200, "outsider": 200}


def _log(world, project):  # type: ignore[no-untyped-def]
    return services.log_session(
        project,
        services.SessionRecord(
            timezone.localdate(), "team", [world.lead], "Shared words", "PRIVATE", None, None
        ),
        by=world.coach,
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_sessions_and_the_caseload_follow_the_pages_rules(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    for project in (projects.private, projects.shared):
        project.lifecycle = "active"
        project.save()
        _log(world, project)
    api = ApiClient(getattr(world, person))
    for project, want in zip((projects.private, projects.shared), SESSIONS[person], strict=True):
        response = api.get(f"{API}/projects/{project.pk}/coaching-sessions")
        assert response.status_code == want, (person, project.title, response.content)
        if want == 200:
            session = response.json()[0]
            assert session["shared_notes"] == "Shared words"
            assert (session["private_notes"] == "PRIVATE") == (person in PRIVATE_READERS)
    caseload = api.get(f"{API}/coaching/caseload")
    assert caseload.status_code == CASELOAD[person]
    if person == "coach":
        titles = {p["title"] for p in caseload.json()["projects"]}
        assert titles == {"Private project", "Shared project"}
        assert {f["code"] for f in caseload.json()["projects"][0]["flags"]} >= {"score_stale"}


def test_the_qi_team_reads_a_coachs_caseload_and_others_cannot(world, projects) -> None:  # type: ignore[no-untyped-def]
    body = ApiClient(world.admin).get(f"{API}/coaching/caseload", {"coach_id": world.coach.pk}).json()
    assert body["coach"]["name"] == "Dan Okafor" and len(body["projects"]) == 2
    assert (
        ApiClient(world.coach).get(f"{API}/coaching/caseload", {"coach_id": world.admin.pk}).status_code
        == 404
    )


def test_only_the_coach_logs_a_session_with_actions(world, projects) -> None:  # type: ignore[no-untyped-def]
    body = {
        "held_on": timezone.localdate().isoformat(),
        "kind": "one_to_one",
        "participant_ids": [world.lead.pk],
        "shared_notes": "Plan agreed",
        "private_notes": "Watch workload",
        "actions": [{"description": "Book the room", "owner_id": world.lead.pk}],
    }
    url = f"{API}/projects/{projects.shared.pk}/coaching-sessions"
    assert ApiClient(world.lead).post(url, body).status_code == 403
    assert ApiClient(world.partner).post(url, body).status_code == 403
    assert ApiClient(world.outsider).post(url, body).status_code == 404
    made = ApiClient(world.coach).post(url, body)
    assert made.status_code == 201, made.content
    assert made.json()["actions"][0]["owner"]["name"] == "Tom Price"
    bad = ApiClient(world.coach).post(
        url, {**body, "actions": [{"description": "", "owner_id": world.lead.pk}]}
    )
    assert bad.status_code == 422 and bad.json()["errors"]


def test_ideas_are_brought_seen_and_triaged_through_the_api(world, projects) -> None:  # type: ignore[no-untyped-def]
    made = ApiClient(world.member).post(
        f"{API}/coaching/ideas",
        {
            "coach_id": world.coach.pk,
            "title": "Text reminders",
            "problem": "Missed sessions",
            "affects": "Clients",
            "could_try": "A text the day before",
        },
    )
    assert made.status_code == 201, made.content
    idea_id = made.json()["id"]
    assert [i["id"] for i in ApiClient(world.coach).get(f"{API}/coaching/ideas").json()] == [idea_id]
    assert ApiClient(world.partner).get(f"{API}/coaching/ideas").json() == []
    assert ApiClient(world.outsider).get(f"{API}/coaching/ideas").json() == []
    triage = f"{API}/coaching/ideas/{idea_id}/triage"
    assert ApiClient(world.member).post(triage, {"decision": "parked"}).status_code == 403
    assert ApiClient(world.outsider).post(triage, {"decision": "parked"}).status_code == 404
    assert ApiClient(world.coach).post(triage, {"decision": "declined"}).status_code == 422
    done = ApiClient(world.coach).post(triage, {"decision": "project"})
    assert done.status_code == 200 and done.json()["status"]["code"] == "project"
    idea = Idea.objects.get()
    assert idea.status == IdeaStatus.PROJECT
    assert idea.project.team.get(role=TeamRole.LEAD).user == world.member  # type: ignore[union-attr]
    # Not to a coach outside the person's organisation.
    assert (
        ApiClient(world.member)
        .post(
            f"{API}/coaching/ideas",
            {"coach_id": world.outsider.pk, "title": "t", "problem": "p", "affects": "a", "could_try": "c"},
        )
        .status_code
        == 422
    )


def test_sponsor_updates_reach_their_sponsor_only_once_sent(world, projects) -> None:  # type: ignore[no-untyped-def]
    update = services.draft_sponsor_update(
        organisation=world.trust,
        sponsor=world.sponsor,
        month=timezone.localdate(),
        projects=[projects.shared],
        by=world.coach,
    )
    assert len(ApiClient(world.coach).get(f"{API}/coaching/sponsor-updates").json()) == 1
    assert ApiClient(world.sponsor).get(f"{API}/coaching/sponsor-updates").json() == []
    services.send_sponsor_update(update, by=world.coach)
    sent = ApiClient(world.sponsor).get(f"{API}/coaching/sponsor-updates").json()
    assert [u["id"] for u in sent] == [update.pk] and sent[0]["projects"][0]["title"] == "Shared project"
    for person in ("lead", "partner", "member", "outsider", "loner"):
        assert ApiClient(getattr(world, person)).get(f"{API}/coaching/sponsor-updates").json() == []
