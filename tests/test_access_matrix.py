"""Authorisation as a matrix: every project page and every measure page (exports included) × every kind
of person × private and organisation visibility, including people who must see nothing. A new page must
be classified here, or `test_every_project_page_is_in_the_matrix` fails."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from openqi.projects.access import Level
from openqi.projects.tests.factories import ProjectFactory

# The level each page needs to be opened (GET).
PAGE_LEVEL: dict[str, Level] = {
    "detail": Level.VIEW,
    "edit": Level.EDIT,
    "lifecycle": Level.ADMIN,
    "score": Level.EDIT,
    "team": Level.VIEW,
    "team_invite": Level.ADMIN,
    "team_handover": Level.ADMIN,
    "drivers": Level.VIEW,
    "drivers_print": Level.VIEW,
    "pdsa_list": Level.VIEW,
    "pdsa_create": Level.EDIT,
    "story": Level.VIEW,
    "story_add": Level.EDIT,
    "timeline": Level.VIEW,
    "audit": Level.ADMIN,
    "driver_add": Level.EDIT,
    "change_idea_add": Level.EDIT,
}

# Pages the project's QI coach opens too, though a coach's level is EDIT: managing the team
# (access.can_manage_team).
COACH_ALSO: set[str] = {"team_invite", "team_handover"}

# Pages of one measure in a project (kwargs pk and pm), with any other kwargs they need.
MEASURE_PAGE_LEVEL: dict[str, tuple[Level, dict[str, str]]] = {
    "detail": (Level.VIEW, {}),
    "export": (Level.VIEW, {"fmt": "xlsx"}),
    "chart": (Level.VIEW, {"fmt": "png"}),
    "edit": (Level.EDIT, {}),
    "data": (Level.EDIT, {}),
    "upload": (Level.EDIT, {}),
    "limits": (Level.EDIT, {}),
    "exclude": (Level.EDIT, {}),
    "annotate": (Level.EDIT, {}),
    "links": (Level.EDIT, {}),
}
PROJECT_MEASURE_PAGES: dict[str, Level] = {"project_measures": Level.VIEW, "add": Level.EDIT}

# Level each person has on (private project, organisation-visible project); the team is the
# `projects` fixture's: lead, partner, coach, sponsor.
PEOPLE: dict[str, tuple[Level, Level]] = {
    "lead": (Level.ADMIN, Level.ADMIN),
    "partner": (Level.EDIT, Level.EDIT),
    "coach": (Level.EDIT, Level.EDIT),
    "sponsor": (Level.VIEW, Level.VIEW),
    "admin": (Level.ADMIN, Level.ADMIN),  # QI team admin of the trust
    "advisor": (Level.VIEW, Level.VIEW),  # improvement advisor sees everything in the trust
    "member": (Level.NONE, Level.VIEW),  # in the trust, not in the team
    "outsider": (Level.NONE, Level.NONE),  # QI admin of another trust
    "loner": (Level.NONE, Level.NONE),  # signed in, no organisation
}


def _pages(namespace: str, kwargs: set[str]) -> list[str]:
    names = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == namespace:
            for sub in pattern.url_patterns:  # type: ignore[attr-defined]
                if not (isinstance(sub, URLPattern) and sub.name):
                    continue
                takes = set(sub.pattern.regex.groupindex)
                # Pages taking exactly these kwargs (fmt optional): every kind of page is covered once.
                if takes <= kwargs and kwargs - {"fmt"} <= takes:
                    names.append(sub.name)
    return names


def project_pages() -> list[str]:
    """URL names in the projects namespace that take only the project's pk."""
    return _pages("projects", {"pk"})


def test_every_project_page_is_in_the_matrix() -> None:
    missing = sorted(set(project_pages()) - set(PAGE_LEVEL))
    assert not missing, f"classify these project pages in PAGE_LEVEL: {missing}"
    missing = sorted(set(_pages("measures", {"pk"})) - set(PROJECT_MEASURE_PAGES))
    assert not missing, f"classify these measure pages in PROJECT_MEASURE_PAGES: {missing}"
    missing = sorted(set(_pages("measures", {"pk", "pm", "fmt"})) - set(MEASURE_PAGE_LEVEL))
    assert not missing, f"classify these measure pages in MEASURE_PAGE_LEVEL: {missing}"
    # And the matrix checks real pages (a renamed page must not leave it testing nothing).
    assert set(_pages("measures", {"pk", "pm", "fmt"})) == set(MEASURE_PAGE_LEVEL)
    assert set(project_pages()) == set(PAGE_LEVEL)


def expected_status(have: Level, need: Level) -> int:
    if have < Level.VIEW:
        return 404  # the project's existence is not disclosed
    return 200 if have >= need else 403


@pytest.mark.parametrize("person", PEOPLE)
def test_matrix(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(world, person))
    pages = [name for name in project_pages() if name in PAGE_LEVEL]
    failures = []
    for project, have in zip((projects.private, projects.shared), PEOPLE[person], strict=True):
        for name in pages:
            status = client.get(reverse(f"projects:{name}", kwargs={"pk": project.pk})).status_code
            want = expected_status(have, PAGE_LEVEL[name])
            if person == "coach" and name in COACH_ALSO:
                want = 200
            if status != want:
                failures.append(f"{name} on {project.title}: {status}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("person", PEOPLE)
def test_measure_matrix(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.measures.tests.factories import ProjectMeasureFactory, add_points

    client = Client()
    client.force_login(getattr(world, person))
    failures = []
    for project, have in zip((projects.private, projects.shared), PEOPLE[person], strict=True):
        link = ProjectMeasureFactory(project=project)
        add_points(link.measure, [(9, 20), (10, 21), (8, 19), (11, 20)])
        for name, need in PROJECT_MEASURE_PAGES.items():
            status = client.get(reverse(f"measures:{name}", kwargs={"pk": project.pk})).status_code
            if status != expected_status(have, need):
                failures.append(
                    f"{name} on {project.title}: {status}, expected {expected_status(have, need)}"
                )
        for name, (need, extra) in MEASURE_PAGE_LEVEL.items():
            url = reverse(f"measures:{name}", kwargs={"pk": project.pk, "pm": link.pk, **extra})
            status = client.get(url).status_code
            if status != expected_status(have, need):
                failures.append(
                    f"{name} on {project.title}: {status}, expected {expected_status(have, need)}"
                )
    assert not failures, "\n".join(failures)


def test_anonymous_people_are_sent_to_sign_in(client: Client, projects) -> None:  # type: ignore[no-untyped-def]
    for name in project_pages():
        response = client.get(reverse(f"projects:{name}", kwargs={"pk": projects.shared.pk}))
        assert response.status_code == 302 and "/accounts/login/code/" in response.url, name


@pytest.mark.parametrize("person", ["member", "outsider", "loner", "advisor", "lead"])
def test_lists_search_and_counts_show_only_what_the_person_may_see(person: str, world, projects) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(getattr(world, person))
    can_see_private = PEOPLE[person][0] >= Level.VIEW
    can_see_shared = PEOPLE[person][1] >= Level.VIEW
    body = client.get(reverse("projects:list")).content.decode()
    assert ("Private project" in body) == can_see_private
    assert ("Shared project" in body) == can_see_shared
    expected_total = int(can_see_private) + int(can_see_shared)
    assert f"{expected_total} project" in body
    # Search matches the private project's words, but only shows it to those who may see it.
    searched = client.get(reverse("projects:list"), {"q": "Private"}).content.decode()
    assert ("Private project" in searched) == can_see_private
    assert f"{int(can_see_private)} project" in searched


def test_the_public_page_needs_no_sign_in_and_shows_only_agreed_names(
    client: Client, world, projects
) -> None:  # type: ignore[no-untyped-def]
    from openqi.projects.models import Visibility

    shared = projects.shared
    assert client.get(reverse("public:public", kwargs={"pk": shared.pk})).status_code == 404
    shared.visibility = Visibility.PUBLIC
    shared.save()
    shared.team.filter(user=world.lead).update(show_name_publicly=True)
    body = client.get(reverse("public:public", kwargs={"pk": shared.pk})).content.decode()
    assert shared.aim_statement in body
    assert world.lead.name in body
    assert world.partner.name not in body  # did not agree to be named
    assert world.lead.email not in body and world.partner.email not in body
    assert client.get(reverse("public:public", kwargs={"pk": projects.private.pk})).status_code == 404


def test_a_partner_invited_into_one_project_sees_only_their_projects(
    world, projects, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """An external partner joins as a guest: the organisation's other projects stay closed to them."""
    from django.core import mail

    from openqi.accounts.tests.helpers import last_link_for
    from openqi.organisations.models import Membership
    from openqi.projects.services.team import invite_to_team

    other = ProjectFactory(organisation=world.trust, title="Another organisation project")
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is queued on commit
        invite_to_team(
            projects.shared, email="kim.carer@yahoo.co.uk", name="Kim", role="partner", by=world.lead
        )
    assert mail.outbox
    link = last_link_for("kim.carer@yahoo.co.uk")
    guest = Client()
    guest.post(link[link.index("/invitations/") :])
    membership = Membership.objects.get(user__email="kim.carer@yahoo.co.uk")
    assert membership.is_guest
    guest.force_login(membership.user)
    body = guest.get(reverse("projects:list")).content.decode()
    assert "Shared project" in body and "Another organisation project" not in body and "1 project" in body
    assert guest.get(reverse("projects:detail", kwargs={"pk": other.pk})).status_code == 404
    assert guest.get(reverse("projects:detail", kwargs={"pk": projects.shared.pk})).status_code == 200
    assert guest.get(reverse("projects:create")).status_code == 404
