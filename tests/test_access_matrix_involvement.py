"""Authorisation of involvement as a matrix: every involvement page and API endpoint × every kind of person,
including people who must see nothing. Payment records are narrower than the project: only the partner,
the claim's approver (the sponsor) and the QI team admin see them, on every page, export and endpoint.
A new involvement page must be classified here, or `test_every_involvement_page_is_classified` fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from openqi.api.tests.helpers import API, ApiClient
from openqi.involvement import services
from openqi.involvement.models import ClaimStatus

PEOPLE = ["lead", "partner", "coach", "sponsor", "admin", "advisor", "member", "outsider", "loner"]
# Who sees the partner's payment records (the sponsor approves the team's claims).
SEE_PAYMENTS = {"partner", "sponsor", "admin"}

# Status of a GET of each page for each person, on the private and the organisation-visible project
# (both have the `projects` fixture's team: lead, partner, coach, sponsor).
OK, NO, HIDDEN = 200, 403, 404
PROJECT_PAGES: dict[str, dict[str, tuple[int, int]]] = {
    # The involvement tab: everyone who may read the project (each sees only their own payment records).
    "project": {
        "lead": (OK, OK),
        "partner": (OK, OK),
        "coach": (OK, OK),
        "sponsor": (OK, OK),
        "admin": (OK, OK),
        "advisor": (OK, OK),
        "member": (HIDDEN, OK),
        "outsider": (HIDDEN, HIDDEN),
        "loner": (HIDDEN, HIDDEN),
    },
    # Logging: the partner for themself, the lead (and the QI team admin) for a partner.
    "log": {
        "lead": (OK, OK),
        "partner": (OK, OK),
        "coach": (NO, NO),
        "sponsor": (NO, NO),
        "admin": (OK, OK),
        "advisor": (NO, NO),
        "member": (HIDDEN, NO),
        "outsider": (HIDDEN, HIDDEN),
        "loner": (HIDDEN, HIDDEN),
    },
    # The co-production reflection: the team (EDIT).
    "reflection": {
        "lead": (OK, OK),
        "partner": (OK, OK),
        "coach": (OK, OK),
        "sponsor": (NO, NO),
        "admin": (OK, OK),
        "advisor": (NO, NO),
        "member": (HIDDEN, NO),
        "outsider": (HIDDEN, HIDDEN),
        "loner": (HIDDEN, HIDDEN),
    },
    # The onboarding checklist: the lead and the coach (and the QI team admin).
    "onboarding": {
        "lead": (OK, OK),
        "partner": (NO, NO),
        "coach": (OK, OK),
        "sponsor": (NO, NO),
        "admin": (OK, OK),
        "advisor": (NO, NO),
        "member": (HIDDEN, NO),
        "outsider": (HIDDEN, HIDDEN),
        "loner": (HIDDEN, HIDDEN),
    },
}
# Pages of one claim (the partner's pending claim on the shared project).
CLAIM_PAGES: dict[str, dict[str, int]] = {
    "claim": {p: OK if p in SEE_PAYMENTS else HIDDEN for p in PEOPLE},
    "claim_form": {p: OK if p in SEE_PAYMENTS else HIDDEN for p in PEOPLE},
    # Only a queried claim is changed, by its partner: a pending one is refused to those who see it.
    "resubmit": {p: NO if p in SEE_PAYMENTS else HIDDEN for p in PEOPLE},
}
# Pages about the person: open to everyone signed in, showing only what they may see.
PERSON_PAGES = {"claims", "export"}
# The organisation's payment bands: its QI team admins only.
ORGANISATION_PAGES = {"payment_settings"}


def involvement_pages() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "involvement":
            for sub in pattern.url_patterns:  # type: ignore[attr-defined]
                if isinstance(sub, URLPattern) and sub.name:
                    names.add(sub.name)
    return names


def test_every_involvement_page_is_classified() -> None:
    classified = set(PROJECT_PAGES) | set(CLAIM_PAGES) | PERSON_PAGES | ORGANISATION_PAGES
    pages = involvement_pages()
    assert pages == classified, f"classify: {sorted(pages - classified)}; gone: {sorted(classified - pages)}"


def _claim(world: Any, project: Any) -> Any:
    return services.log_involvement(
        project,
        partner=world.partner,
        occurred_on=timezone.localdate(),
        activity="meeting",
        minutes=150,
        note="Read the papers for the steering group",
        by=world.partner,
    )


def _project_url(name: str, project: Any) -> str:
    kwargs: dict[str, Any] = {"pk": project.pk}
    if name == "reflection":
        kwargs["stage"] = "start"
    if name == "onboarding":
        kwargs["member_pk"] = project.team.get(user__email="sam@example.com", role="partner").pk
    return reverse(f"involvement:{name}", kwargs=kwargs)


@pytest.mark.parametrize("person", PEOPLE)
def test_page_matrix(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = _claim(world, projects.shared)
    client = Client()
    client.force_login(getattr(world, person))
    failures = []
    for name, expected in PROJECT_PAGES.items():
        for project, want in zip((projects.private, projects.shared), expected[person], strict=True):
            status = client.get(_project_url(name, project)).status_code
            if status != want:
                failures.append(f"{name} on {project.title}: {status}, expected {want}")
    for name, expected in CLAIM_PAGES.items():
        status = client.get(reverse(f"involvement:{name}", kwargs={"claim_pk": entry.pk})).status_code
        if status != expected[person]:
            failures.append(f"{name}: {status}, expected {expected[person]}")
    status = client.get(reverse("involvement:payment_settings", kwargs={"slug": "northshire"})).status_code
    if status != (OK if person == "admin" else HIDDEN):
        failures.append(f"payment_settings: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("person", PEOPLE)
def test_payment_records_show_only_to_the_partner_the_approver_and_the_qi_team(
    person: str, world, projects
) -> None:  # type: ignore[no-untyped-def]
    entry = _claim(world, projects.shared)
    services.decide(entry, approve=True, by=world.sponsor)
    private_entry = _claim(world, projects.private)
    client = Client()
    client.force_login(getattr(world, person))
    sees = person in SEE_PAYMENTS
    link = f'href="{reverse("involvement:claim", kwargs={"claim_pk": entry.pk})}"'
    project_page = client.get(reverse("involvement:project", kwargs={"pk": projects.shared.pk}))
    if project_page.status_code == 200:
        assert (link in project_page.content.decode()) == sees
    assert (link in client.get(reverse("involvement:claims")).content.decode()) == sees
    export = client.get(reverse("involvement:export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    assert ("Sam Taylor" in export) == sees
    assert export.splitlines()[0].startswith("Claim,Date,Partner")
    # The API: the same people, the same records; the others cannot tell a record exists.
    api = ApiClient(getattr(world, person))
    listed = api.get(f"{API}/involvement-entries").json()
    assert {item["id"] for item in listed["items"]} == ({entry.pk, private_entry.pk} if sees else set())
    assert api.get(f"{API}/involvement-entries/{entry.pk}").status_code == (200 if sees else 404)
    by_project = api.get(f"{API}/projects/{projects.shared.pk}/involvement-entries")
    if by_project.status_code == 200:
        assert [item["id"] for item in by_project.json()["items"]] == ([entry.pk] if sees else [])
    else:
        assert by_project.status_code == 404 and person in {"outsider", "loner"}
    # Deciding: the approver and the QI team; never the partner themself.
    decision = api.post(f"{API}/involvement-entries/{private_entry.pk}/decision", {"decision": "approve"})
    want = {"sponsor": 200, "admin": 200, "partner": 403}.get(person, 404)
    assert decision.status_code == want, decision.content
    if want == 200:
        private_entry.refresh_from_db()
        assert private_entry.status == ClaimStatus.APPROVED


@pytest.mark.parametrize("person", PEOPLE)
def test_logging_through_the_api(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    api = ApiClient(getattr(world, person))
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body: dict[str, Any] = {"occurred_on": day, "activity": "preparation", "minutes": 150}
    if person in {"lead", "admin"}:
        body["partner_id"] = world.partner.pk
    response = api.post(f"{API}/projects/{projects.shared.pk}/involvement-entries", body)
    want = {
        "partner": 201,
        "lead": 201,
        "admin": 201,
        "member": 403,
        "coach": 403,
        "sponsor": 403,
        "advisor": 403,
    }
    assert response.status_code == want.get(person, 404), response.content
    if response.status_code == 201:
        made = response.json()
        assert made["amount"] == "20.00" and made["status"]["code"] == "pending"
        assert made["partner"]["id"] == world.partner.pk


def test_the_api_warns_before_a_claim_passes_the_weekly_limit(world, projects) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    for _ in range(5):
        services.log_involvement(
            projects.shared,
            partner=world.partner,
            occurred_on=today,
            activity="event",
            minutes=180,
            by=world.partner,
        )
    api = ApiClient(world.partner)
    url = f"{API}/projects/{projects.shared.pk}/involvement-entries"
    body = {"occurred_on": today.isoformat(), "activity": "meeting", "minutes": 60}
    refused = api.post(url, body)
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert "over the weekly limit of £104.00" in refused.json()["detail"]
    assert "15 hours" in refused.json()["detail"]
    assert api.post(url, body | {"confirm_over_limit": True}).status_code == 201


def test_the_api_links_time_to_a_meeting_of_the_project_only(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.meetings.models import Meeting

    start = timezone.now() - dt.timedelta(days=1)
    ours = Meeting.objects.create(project=projects.shared, title="Team meeting", start=start, end=start)
    theirs = Meeting.objects.create(project=projects.private, title="Other meeting", start=start, end=start)
    api = ApiClient(world.partner)
    url = f"{API}/projects/{projects.shared.pk}/involvement-entries"
    body = {"occurred_on": start.date().isoformat(), "activity": "meeting", "minutes": 150}
    refused = api.post(url, body | {"meeting_id": theirs.pk})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "meeting_id"
    made = api.post(url, body | {"meeting_id": ours.pk})
    assert made.status_code == 201 and made.json()["meeting"] == ours.pk
