"""The learning API × every kind of person (the pages' rules: tests/test_access_matrix_learning.py), and a
round trip: ask to join, take the register, read the feedback summary and the person's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from openqi.api.tests.helpers import API, ApiClient
from openqi.learning.models import Enrolment, EnrolmentStatus, Feedback
from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, SessionFactory
from tests.test_access_matrix_learning import PEOPLE, QI_TEAM, TRUST, only
from tests.test_api_access_matrix import PERSON_ENDPOINTS

# GET of each endpoint: status by person (the coach facilitates the cohort; the partner's record is read).
ENDPOINTS: dict[str, dict[str, int]] = {
    "/learning/programmes/{programme_id}": only(TRUST),
    "/learning/programmes/{programme_id}/cohorts": only(TRUST),
    "/learning/programmes/{programme_id}/feedback-summary": only(QI_TEAM),
    "/learning/cohorts/{cohort_id}": only(TRUST),
    "/learning/cohorts/{cohort_id}/enrolments": only((*QI_TEAM, "coach")),
    "/learning/cohorts/{cohort_id}/feedback-summary": only((*QI_TEAM, "coach")),
    "/learning/sessions/{session_id}/attendance": only((*QI_TEAM, "coach")),
    "/learning/sessions/{session_id}/feedback-summary": only((*QI_TEAM, "coach")),
    "/learning/people/{person_id}/record": only(("partner", "lead", "coach", *QI_TEAM), inside=404),
}


def test_every_learning_endpoint_is_in_this_matrix() -> None:
    learning = {
        path for method, path in PERSON_ENDPOINTS if path.startswith("/learning/") and method == "get"
    }
    assert learning == set(ENDPOINTS) | {"/learning/programmes"}


@pytest.fixture
def ids(world, projects) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    programme = ProgrammeFactory(organisation=world.trust, name="Trust-only programme")
    cohort = CohortFactory(programme=programme)
    cohort.facilitators.add(world.coach)
    session = SessionFactory(cohort=cohort, date=dt.date(2026, 1, 5))
    enrolment = EnrolmentFactory(cohort=cohort, user=world.partner)
    Feedback.objects.create(session=session, enrolment=enrolment, useful=True, rating=5, usefulness=4)
    return {
        "programme_id": programme.pk,
        "cohort_id": cohort.pk,
        "session_id": session.pk,
        "person_id": world.partner.pk,
    }


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, ids) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(getattr(world, person))
    failures = []
    for path, expected in ENDPOINTS.items():
        response = client.get(API + path.format(**ids))
        if response.status_code != expected[person]:
            failures.append(f"{path}: {response.status_code}, expected {expected[person]}")
        elif response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json"
    names = [p["name"] for p in client.get(f"{API}/learning/programmes").json()["items"]]
    assert (names == ["Trust-only programme"]) == (person in TRUST), names
    assert not failures, "\n".join(failures)


def test_ask_to_join_take_the_register_and_read_the_results(world, ids) -> None:  # type: ignore[no-untyped-def]
    member = ApiClient(world.member)
    asked = member.post(f"{API}/learning/cohorts/{ids['cohort_id']}/enrolments", {"group": "staff"})
    assert asked.status_code == 201 and asked.json()["status"]["code"] == "requested"
    again = member.post(f"{API}/learning/cohorts/{ids['cohort_id']}/enrolments", {"group": "staff"})
    assert again.status_code == 409
    bad = member.post(f"{API}/learning/cohorts/{ids['cohort_id']}/enrolments", {"group": "boss"})
    assert bad.status_code == 422

    partner_enrolment = Enrolment.objects.get(user=world.partner)
    coach = ApiClient(world.coach)
    url = f"{API}/learning/sessions/{ids['session_id']}/attendance"
    assert ApiClient(world.member).post(url, {"present": []}).status_code == 403
    wrong = coach.post(url, {"present": [asked.json()["id"]]})  # asked, not enrolled: not on the register
    assert wrong.status_code == 422
    register = coach.post(url, {"present": [partner_enrolment.pk]})
    assert register.status_code == 200
    assert register.json() == [
        {
            "enrolment_id": partner_enrolment.pk,
            "person": {"id": world.partner.pk, "name": "Sam Taylor"},
            "present": True,
        }
    ]
    partner_enrolment.refresh_from_db()
    assert partner_enrolment.completed_on == dt.date(2026, 1, 5)
    assert Enrolment.objects.get(user=world.member).status == EnrolmentStatus.REQUESTED

    summary = coach.get(f"{API}/learning/sessions/{ids['session_id']}/feedback-summary").json()
    assert summary["responses"] == 1 and summary["useful_yes"] == 1
    assert summary["rating"]["counts"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert summary["usefulness"]["median"] == 4.0

    record = ApiClient(world.partner).get(f"{API}/learning/people/{world.partner.pk}/record").json()
    assert record["in_a_word"] == "Trust-only programme ✓"
    assert [line["programme"] for line in record["completed"]] == ["Trust-only programme"]
