"""Involvement journeys: after a team meeting the service-user partner (a personal e-mail address, no
JavaScript) logs 2.5 hours → the claim is £20 → the sponsor approves it → the finance export lists it; a
claim that would pass the weekly limit shows the warning first; a new partner's invitation and sign-in
speak plain words; and the main pages fit a 375 px phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from openqi.involvement import services
from openqi.involvement.models import ClaimStatus, InvolvementEntry
from openqi.meetings.models import Meeting
from tests.system.conftest import Journey
from tests.system.steps import (
    given_i_am_signed_in_as,
    the_invitation_link_for,
    when_i_accept_the_invitation_and_ask_for_a_code,
    when_i_enter_the_code,
)

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser: Browser, live_server, transactional_db) -> Iterator[Journey]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    yield Journey(context.new_page(), live_server.url)
    context.close()


def today_text() -> str:
    today = timezone.localdate()
    return f"{today.day}/{today.month}/{today.year}"


def given_a_team_meeting_this_morning(project) -> Meeting:  # type: ignore[no-untyped-def]
    start = timezone.localtime().replace(hour=0, minute=30, second=0, microsecond=0)
    return Meeting.objects.create(
        project=project, title="Weekly team meeting", start=start, end=start + dt.timedelta(hours=2)
    )


def when_i_log_my_time(journey: Journey, project, hours: str, *, meeting: str | None = None) -> None:  # type: ignore[no-untyped-def]
    journey.goto(f"/involvement/project/{project.pk}/")
    journey.follow("Log involvement")
    journey.fill("Date", today_text())
    journey.page.get_by_label("Meeting", exact=True).check()
    if meeting:
        journey.page.get_by_label("Team meeting (optional)").select_option(label=meeting)
    journey.fill("Time in hours", hours)
    journey.press("Log involvement")


def test_a_partner_logs_a_meeting_the_sponsor_approves_and_finance_sees_it(
    journey: Journey, second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    meeting = given_a_team_meeting_this_morning(project)
    partner, sponsor = second_journey, journey
    # Given the service-user partner signs in on their own device (no JavaScript)
    given_i_am_signed_in_as(partner, world.partner.email)
    # When, after the meeting, they log 2.5 hours for it
    label = f"Weekly team meeting, {timezone.localdate().day} {timezone.localdate():%B %Y}"
    when_i_log_my_time(partner, project, "2.5", meeting=label)
    # Then the claim is £20 and has gone to the sponsor; the page says no bank details are stored
    assert "2.5 hours logged. The claim for £20.00 has gone to Helen Marsh for approval." in partner.text
    assert "OpenQI does not store bank details" in partner.text
    entry = InvolvementEntry.objects.get()
    assert (entry.amount, entry.meeting, entry.status) == (20, meeting, ClaimStatus.PENDING)

    # When the sponsor signs in, they see the claim waiting and approve it
    given_i_am_signed_in_as(sponsor, world.sponsor.email)
    assert "1 claim waiting for your decision" in sponsor.text
    sponsor.follow("1 claim waiting for your decision")
    sponsor.page.locator(f'main a[href="/involvement/claims/{entry.pk}/"]').click()
    sponsor.page.wait_for_load_state()
    sponsor.check_accessibility()
    assert "Weekly team meeting" in sponsor.text and "£20.00" in sponsor.text
    sponsor.page.get_by_label("Approve the claim").check()
    sponsor.press("Save decision")
    assert "Claim approved." in sponsor.text

    # Then the finance export lists it
    export = sponsor.page.request.get(sponsor.base_url + "/involvement/claims/approved.csv")
    rows = export.text().lstrip("\ufeff").splitlines()
    assert rows[0].startswith("Claim,Date,Partner,Project")
    assert any("Sam Taylor" in row and "Shared project" in row and "20.00" in row for row in rows[1:])
    # And the partner sees their claim approved
    partner.goto("/involvement/claims/")
    assert "Approved" in partner.text


def test_a_claim_that_would_pass_the_weekly_limit_shows_the_warning_first(
    journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    for _ in range(5):  # £100 claimed this week already
        services.log_involvement(
            project,
            partner=world.partner,
            occurred_on=monday,
            activity="event",
            minutes=120,
            by=world.partner,
        )
    given_i_am_signed_in_as(journey, world.partner.email)
    when_i_log_my_time(journey, project, "1")
    assert "This claim would pass a weekly limit" in journey.text
    assert "over the weekly limit of £104.00" in journey.text
    assert InvolvementEntry.objects.count() == 5
    journey.page.get_by_label("I have read the warning and still want to make this claim").check()
    journey.press("Log involvement")
    assert "1 hour logged. The claim for £10.00" in journey.text
    assert InvolvementEntry.objects.count() == 6


def test_a_new_partner_is_invited_and_signs_in_in_plain_words(
    journey: Journey, second_journey: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    lead, newcomer = journey, second_journey
    given_i_am_signed_in_as(lead, world.lead.email)
    lead.goto(f"/projects/{projects.shared.pk}/team/")
    lead.follow("Invite someone to the team")
    lead.fill("E-mail address", "kim.carer@yahoo.co.uk")
    lead.fill("Full name", "Kim Carer")
    lead.page.get_by_label("Service-user or carer partner", exact=True).check()
    lead.press("Send invitation")
    assert "kim.carer@yahoo.co.uk – Service-user or carer partner" in lead.text

    path = the_invitation_link_for("kim.carer@yahoo.co.uk")
    assert path.startswith("/invitations/")
    newcomer.goto(path)
    assert "Tom Price has invited you to join the team of the quality improvement project" in newcomer.text
    assert "as a service-user or carer partner" in newcomer.text
    assert "Roles" not in newcomer.text
    when_i_accept_the_invitation_and_ask_for_a_code(newcomer)
    assert (
        "If kim.carer@yahoo.co.uk can sign in to OpenQI, we have e-mailed a sign-in code to it."
        in newcomer.text
    )
    from openqi.accounts.tests.helpers import last_code_for

    when_i_enter_the_code(newcomer, last_code_for("kim.carer@yahoo.co.uk"))
    assert "Service-user or carer partner in Shared project" in newcomer.text
    assert "Guest (project team only)" not in newcomer.text


def fits_the_phone(journey: Journey) -> Callable[[str], None]:
    def check(path: str) -> None:
        journey.goto(path)
        width = journey.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width} px)"

    return check


def test_the_involvement_pages_fit_a_phone(phone: Journey, world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    entry = services.log_involvement(
        project,
        partner=world.partner,
        occurred_on=timezone.localdate(),
        activity="meeting",
        minutes=150,
        note="Weekly team meeting",
        by=world.partner,
    )
    given_i_am_signed_in_as(phone, world.partner.email)
    check = fits_the_phone(phone)
    for path in (
        f"/involvement/project/{project.pk}/",
        f"/involvement/project/{project.pk}/log/",
        f"/involvement/project/{project.pk}/reflection/start/",
        "/involvement/claims/",
        f"/involvement/claims/{entry.pk}/",
        f"/projects/{project.pk}/",
    ):
        check(path)


def test_the_coach_completes_the_checklist_and_the_qi_team_sets_the_bands(
    journey: Journey, phone: Journey, world, projects
) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    # Given the coach on a phone, on the team page, sees the partner's checklist
    given_i_am_signed_in_as(phone, world.coach.email)
    phone.goto(f"/projects/{project.pk}/team/")
    assert "Sam Taylor: 0 of 6 done" in phone.text
    phone.follow("Update the checklist for Sam Taylor")
    for item in (
        "Contact method agreed",
        "Meeting access tested",
        "Papers access tested",
        "Introduction to QI training offered",
        "Payment arrangement explained",
    ):
        phone.page.get_by_label(item, exact=True).check()
    phone.page.get_by_label("Named contact in the team").select_option(label="Tom Price")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.press("Save checklist")
    # Then the checklist is complete and leaves the team page
    assert "Onboarding checklist for Sam Taylor saved." in phone.text
    assert "Update the checklist" not in phone.text and "Complete" in phone.text

    # When the QI team admin changes the weekly limit
    given_i_am_signed_in_as(journey, world.admin.email)
    journey.goto(f"/involvement/organisation/{world.trust.slug}/payments/")
    journey.fill("Weekly payment limit (£)", "ninety")
    journey.press("Save payment bands and limits")
    assert "There is a problem" in journey.text
    journey.fill("Weekly payment limit (£)", "110")
    journey.press("Save payment bands and limits")
    assert "Payment bands and weekly limits saved." in journey.text
    assert services.payment_settings_for(world.trust).weekly_amount_limit == 110
