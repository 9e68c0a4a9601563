"""Learning journeys (issue 17's "done when"): a service-user partner asks to join the introduction
course, the QI team approves, the facilitator takes the register on a 375 px phone, the partner leaves
feedback; then the partner's record and the project's team page say "Introduction to QI ✓" and suggest the
next step, and the report counts a service user trained. Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser

from openqi.learning.models import Audience
from openqi.learning.tests.factories import CohortFactory, ProgrammeFactory, SessionFactory
from openqi.organisations.models import Membership
from tests.system.conftest import Journey
from tests.system.steps import given_i_am_signed_in_as

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def person(browser: Browser, live_server, transactional_db) -> Iterator[Callable[..., Journey]]:  # type: ignore[no-untyped-def]
    """A browser of one's own for each person in the journey; `phone=True` is 375 px wide."""
    contexts = []

    def open_for(*, phone: bool = False) -> Journey:
        context = browser.new_context(viewport=PHONE if phone else None)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Journey(context.new_page(), live_server.url)

    yield open_for
    for context in contexts:
        context.close()


def fits_the_screen(journey: Journey) -> bool:
    return bool(journey.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def given_the_introduction_course(world):  # type: ignore[no-untyped-def]
    intro = ProgrammeFactory(
        organisation=world.trust,
        name="Introduction to QI",
        audience=Audience.PARTNERS,
        length="Half a day",
        position=1,
    )
    pocket = ProgrammeFactory(organisation=world.trust, name="Pocket QI", position=2)
    intro.next_programmes.add(pocket)
    cohort = CohortFactory(
        programme=intro, name="January 2027", starts_on=dt.date.today() + dt.timedelta(days=10)
    )
    cohort.facilitators.add(world.coach)
    SessionFactory(cohort=cohort, title="What QI is", date=cohort.starts_on, place="Online")
    CohortFactory(programme=pocket, name="February 2027", starts_on=dt.date.today() + dt.timedelta(days=40))
    return cohort


def test_a_partner_is_trained_from_asking_to_join_to_the_report(person, world, projects) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=world.partner).update(is_guest=True)
    given_the_introduction_course(world)

    # Given the service-user partner, signed in, finds the introduction course
    partner = person()
    given_i_am_signed_in_as(partner, world.partner.email)
    partner.goto("/learning/")
    partner.follow("Introduction to QI")
    partner.follow("January 2027")

    # When they ask to join as a service user
    partner.follow("Ask to join")
    assert partner.page.get_by_label("Service user or carer", exact=True).is_checked()
    partner.press("Ask to join")
    assert "You have asked to join" in partner.text

    # And the QI team approves the request
    admin = person()
    given_i_am_signed_in_as(admin, world.admin.email)
    admin.goto(partner.page.url.replace(partner.base_url, ""))
    admin.press("Approve Sam Taylor")
    assert "Sam Taylor: enrolled." in admin.text

    # And the facilitator takes the register on a phone
    coach = person(phone=True)
    given_i_am_signed_in_as(coach, world.coach.email)
    coach.goto(partner.page.url.replace(partner.base_url, ""))
    assert fits_the_screen(coach)
    coach.follow("Take the register for What QI is")
    assert fits_the_screen(coach)
    coach.page.get_by_label("Sam Taylor", exact=True).check()
    coach.press("Save register")
    assert "Register saved: 1 of 1 came. Completed the programme: Sam Taylor." in coach.text
    assert fits_the_screen(coach)

    # And the partner leaves feedback
    partner.goto(partner.page.url.replace(partner.base_url, ""))
    partner.follow("Give feedback on What QI is")
    partner.press("Send feedback")
    assert "There is a problem" in partner.text and "Select a rating from 1 to 5" in partner.text
    partner.page.get_by_label("Yes", exact=True).check()
    partner.page.get_by_role("group", name="How would you rate the session?").get_by_label(
        "5", exact=True
    ).check()
    partner.page.get_by_role("group", name="How useful will it be").get_by_label("4", exact=True).check()
    partner.fill("Anything else you want to tell us? (optional)", "Friendly and clear.")
    partner.press("Send feedback")

    # Then their record says they are trained and suggests the next step
    assert "Thank you: your feedback has been saved." in partner.text
    assert "Introduction to QI ✓" in partner.text
    assert "Pocket QI: February 2027" in partner.text

    # And the project's team page shows it
    lead = person(phone=True)
    given_i_am_signed_in_as(lead, world.lead.email)
    lead.goto(f"/projects/{projects.shared.pk}/team/")
    assert "Introduction to QI ✓" in lead.text

    # And the report counts a service user trained; the feedback summary is a distribution
    admin.goto("/learning/reports/")
    assert "1 person completed a programme: 0 staff and 1 service user or carer" in admin.text
    admin.goto(coach.page.url.replace(coach.base_url, "").replace("register", "feedback/summary"))
    assert "1 of 1 (100%) said it was useful" in admin.text
    assert "1 answer (1 gave 5, 0 gave 4, 0 gave 3, 0 gave 2, 0 gave 1; 1 = poor, 5 = great)" in admin.text


def test_the_main_pages_fit_a_phone(person, world, projects) -> None:  # type: ignore[no-untyped-def]
    cohort = given_the_introduction_course(world)
    phone = person(phone=True)
    given_i_am_signed_in_as(phone, world.admin.email)
    for path in ("/learning/", f"/learning/cohorts/{cohort.pk}/", "/learning/record/", "/learning/reports/"):
        phone.goto(path)
        assert fits_the_screen(phone), path
