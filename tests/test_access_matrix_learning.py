"""Learning's pages × every kind of person, including people who must see nothing (docs/adr/0022-learning.md).
Learning belongs to the organisation: outside it everything is a 404; inside it, what only the QI team (QI
team admins and improvement advisors) or a session's facilitators may do is a 403. A new page in the
`learning` namespace fails `test_every_learning_page_is_in_the_matrix` until it is classified here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from openqi.learning import imports
from openqi.learning.models import EnrolmentStatus
from openqi.learning.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, SessionFactory

PEOPLE = ("lead", "partner", "coach", "sponsor", "admin", "advisor", "member", "outsider", "loner")
TRUST = ("lead", "partner", "coach", "sponsor", "admin", "advisor", "member")
QI_TEAM = ("admin", "advisor")


def only(allowed: tuple[str, ...], *, inside: int = 403, outside: int = 404, **extra: int) -> dict[str, int]:
    """200 for `allowed`, `inside` for the trust's other people, `outside` for the other trust and nobody."""
    return {
        person: extra.get(person, 200 if person in allowed else inside if person in TRUST else outside)
        for person in PEOPLE
    }


# GET of each page: status by person. The other trust's QI admin (outsider) runs learning for their own
# trust, so organisation-wide QI-team pages open for them on their own (empty) trust.
PAGES: dict[str, dict[str, int]] = {
    "programmes": only((*TRUST, "outsider", "loner")),
    "programme_add": only(QI_TEAM, inside=404, outsider=200),
    "programme": only(TRUST),
    "programme_edit": only(QI_TEAM),
    "cohort_add": only(QI_TEAM),
    "programme_feedback": only(QI_TEAM),
    "cohort": only(TRUST),
    "cohort_edit": only(QI_TEAM),
    "enrol": only(TRUST),
    "enrolment_add": only(QI_TEAM),
    "team_add": only(QI_TEAM),
    "session_add": only(QI_TEAM),
    "cohort_feedback": only((*QI_TEAM, "coach")),  # the coach facilitates the cohort
    "certificate": only(("partner", *QI_TEAM)),  # the partner's certificate
    "register": only((*QI_TEAM, "coach")),
    "feedback": only(("partner",)),  # only people enrolled give feedback
    "session_feedback": only((*QI_TEAM, "coach")),
    "my_record": only((*TRUST, "outsider")),
    # The partner's record: themself, the QI team, and the lead and coach of the partner's projects.
    "person_record": only(("partner", "lead", "coach", *QI_TEAM), inside=404),
    "report": only(QI_TEAM, inside=404, outsider=200),
    "report_csv": only(QI_TEAM, inside=404, outsider=200),
    "import": only(QI_TEAM, inside=404, outsider=200),
    "import_preview": only(("admin",), inside=404),  # a draft is its uploader's only
}
# Pages that only take a POST: (status for a POST that approves, by person).
POST_PAGES: dict[str, dict[str, int]] = {"decide": only(QI_TEAM, inside=403) | {"admin": 302, "advisor": 302}}


def learning_pages() -> list[str]:
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "learning":
            return [p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name]  # type: ignore[attr-defined]
    return []


def test_every_learning_page_is_in_the_matrix() -> None:
    assert set(learning_pages()) == set(PAGES) | set(POST_PAGES)


@pytest.fixture
def things(world, projects) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    programme = ProgrammeFactory(organisation=world.trust, name="Trust-only programme")
    cohort = CohortFactory(programme=programme, name="Trust-only cohort")
    cohort.facilitators.add(world.coach)
    session = SessionFactory(cohort=cohort, date=dt.date(2026, 1, 5))
    enrolment = EnrolmentFactory(cohort=cohort, user=world.partner, completed_on=dt.date(2026, 1, 5))
    requested = EnrolmentFactory(cohort=cohort, user=world.member, status=EnrolmentStatus.REQUESTED)
    draft = imports.stage(
        world.trust, filename="records.csv", content=b"email,programme,completed_on\n", by=world.admin
    )
    return {
        "programme": programme.pk,
        "cohort": cohort.pk,
        "session": session.pk,
        "enrolment": enrolment.pk,
        "requested": requested.pk,
        "partner": world.partner.pk,
        "token": draft.token,
    }


KWARGS = {
    "programme": "programme",
    "programme_edit": "programme",
    "cohort_add": "programme",
    "programme_feedback": "programme",
    "cohort": "cohort",
    "cohort_edit": "cohort",
    "enrol": "cohort",
    "enrolment_add": "cohort",
    "team_add": "cohort",
    "session_add": "cohort",
    "cohort_feedback": "cohort",
    "certificate": "enrolment",
    "register": "session",
    "feedback": "session",
    "session_feedback": "session",
    "person_record": "partner",
    "import_preview": "token",
}


def _url(name: str, things: dict[str, Any]) -> str:
    key = KWARGS.get(name)
    if key is None:
        return reverse(f"learning:{name}")
    return reverse(f"learning:{name}", kwargs={"token" if key == "token" else "pk": things[key]})


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, things) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(world, person))
    failures = []
    for name, expected in PAGES.items():
        response = client.get(_url(name, things))
        if response.status_code != expected[person]:
            failures.append(f"{name}: {response.status_code}, expected {expected[person]}")
        if response.status_code == 200 and person in ("outsider", "loner"):
            assert b"Trust-only" not in response.content, name
    status = client.post(
        reverse("learning:decide", kwargs={"pk": things["requested"]}), {"action": "approve"}
    ).status_code
    if status != POST_PAGES["decide"][person]:
        failures.append(f"decide: {status}, expected {POST_PAGES['decide'][person]}")
    assert not failures, "\n".join(failures)


def test_anonymous_people_are_sent_to_sign_in(client: Client, things) -> None:  # type: ignore[no-untyped-def]
    for name in PAGES:
        response = client.get(_url(name, things))
        assert response.status_code == 302 and "/accounts/login/code/" in response.url, name


def test_people_may_give_up_their_own_place_but_not_approve_it(world, things) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.member)
    url = reverse("learning:decide", kwargs={"pk": things["requested"]})
    assert client.post(url, {"action": "approve"}).status_code == 403
    assert client.post(url, {"action": "withdraw"}).status_code == 302
