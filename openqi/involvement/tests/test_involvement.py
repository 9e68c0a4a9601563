"""Involvement and payments through the pages: logging, bands, the weekly-limit warning, approval, query
and resubmission, the finance export, the claim form, payment bands, the onboarding checklist and the
co-production reflections. People come from the root conftest (`world`, `projects`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from openqi.core.models import AuditEvent
from openqi.involvement import services
from openqi.involvement.models import (
    ClaimStatus,
    CoproductionReflection,
    InvolvementEntry,
    OnboardingItem,
    PartnerOnboarding,
)
from openqi.involvement.summary import onboarding_counts, reflection_summary
from openqi.projects.models import Project, TeamRole

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def log_form(hours: str, day: dt.date | None = None, **extra: str) -> dict[str, str]:
    day = day or timezone.localdate()
    return {
        "occurred_on": f"{day.day}/{day.month}/{day.year}",
        "activity": "meeting",
        "minutes": hours,
        "note": "Team meeting and reading the papers",
        "claim": "on",
        **extra,
    }


def test_two_and_a_half_hours_claims_twenty_pounds_and_goes_to_the_sponsor(world, projects) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.partner).post(
        reverse("involvement:log", kwargs={"pk": projects.shared.pk}), log_form("2.5"), follow=True
    )
    assert response.status_code == 200
    entry = InvolvementEntry.objects.get()
    assert (entry.minutes, entry.amount, entry.status) == (150, Decimal("20.00"), ClaimStatus.PENDING)
    assert entry.partner == world.partner and entry.approver == world.sponsor
    assert "£20.00" in response.content.decode() and "Helen Marsh" in response.content.decode()
    assert AuditEvent.objects.filter(object_type="involvement.involvemententry", action="create").exists()


def test_under_two_hours_is_the_short_band_and_time_only_pays_nothing(world, projects) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.partner)
    url = reverse("involvement:log", kwargs={"pk": projects.shared.pk})
    client.post(url, log_form("1.75"))
    client.post(url, {k: v for k, v in log_form("3").items() if k != "claim"})
    short, time_only = InvolvementEntry.objects.order_by("id")
    assert short.amount == Decimal("10.00")
    assert (time_only.status, time_only.amount, time_only.approver) == (
        ClaimStatus.NOT_CLAIMED,
        Decimal("0"),
        None,
    )


def test_a_claim_that_would_pass_the_weekly_limit_is_warned_before_it_is_made(world, projects) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):  # £100 and 10 hours already this week
        services.log_involvement(
            projects.shared,
            partner=world.partner,
            occurred_on=monday(),
            activity="event",
            minutes=120,
            by=world.partner,
        )
    client = client_for(world.partner)
    url = reverse("involvement:log", kwargs={"pk": projects.shared.pk})
    first = client.post(url, log_form("1", day=monday()))
    body = first.content.decode()
    assert first.status_code == 200 and 'data-testid="limit-warning"' in body
    assert "£110.00, over the weekly limit of £104.00" in body
    assert InvolvementEntry.objects.count() == 5  # nothing claimed yet
    # Sent again without ticking: still warned, now as an error to fix.
    again = client.post(url, log_form("1", day=monday(), warned="1"))
    assert "Tick the box to make the claim anyway" in again.content.decode()
    assert InvolvementEntry.objects.count() == 5
    client.post(url, log_form("1", day=monday(), warned="1", confirm_over_limit="on"))
    assert InvolvementEntry.objects.count() == 6


def test_the_hours_limit_warns_too_and_other_weeks_do_not_count(world, projects) -> None:  # type: ignore[no-untyped-def]
    rates = services.payment_settings_for(world.trust)
    before = services.WeekTotals(monday(), Decimal("0"), 14 * 60)
    assert services.limit_warnings(rates, before, Decimal("10"), 90) == [
        f"This claim would take involvement in the week starting {monday().day} {monday():%B %Y} "
        "to 15.5 hours, "
        "over the weekly limit of 15 hours (14 hours claimed already)."
    ]
    services.log_involvement(
        projects.shared,
        partner=world.partner,
        occurred_on=monday() - dt.timedelta(days=1),
        activity="event",
        minutes=600,
        by=world.partner,
    )
    assert services.week_totals(world.partner, world.trust, monday()).minutes == 0


def test_the_sponsor_approves_and_the_finance_export_lists_the_claim(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = services.log_involvement(
        projects.shared,
        partner=world.partner,
        occurred_on=monday(),
        activity="meeting",
        minutes=150,
        note='=HYPERLINK("http://evil")',
        by=world.partner,
    )
    sponsor = client_for(world.sponsor)
    assert "1 claim waiting for your decision" in sponsor.get(reverse("core:home")).content.decode()
    response = sponsor.post(
        reverse("involvement:claim", kwargs={"claim_pk": entry.pk}), {"decision": "approve"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == (ClaimStatus.APPROVED, world.sponsor)
    rows = list(
        csv.reader(
            io.StringIO(
                sponsor.get(reverse("involvement:export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:3] == ["Claim", "Date", "Partner"]
    assert rows[1][2] == "Sam Taylor" and rows[1][6] == "20.00" and rows[1][9].startswith("'=")
    book = load_workbook(
        io.BytesIO(client_for(world.admin).get(reverse("involvement:export", kwargs={"fmt": "xlsx"})).content)
    )
    sheet = book["Approved claims"]
    assert sheet.cell(row=2, column=3).value == "Sam Taylor" and sheet.cell(row=2, column=7).value == 20
    # Deciding again is refused: the claim is no longer pending.
    with pytest.raises(services.ClaimError):
        services.decide(entry, approve=False, query="Why?", by=world.admin)


def test_a_queried_claim_is_answered_by_the_partner_and_goes_back(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = services.log_involvement(
        projects.shared,
        partner=world.partner,
        occurred_on=monday(),
        activity="meeting",
        minutes=60,
        by=world.partner,
    )
    sponsor = client_for(world.sponsor)
    url = reverse("involvement:claim", kwargs={"claim_pk": entry.pk})
    missing = sponsor.post(url, {"decision": "query"})
    assert "Enter your question for the partner" in missing.content.decode()
    sponsor.post(url, {"decision": "query", "query": "Was the meeting two hours long?"})
    entry.refresh_from_db()
    assert entry.status == ClaimStatus.QUERIED
    partner = client_for(world.partner)
    assert "Was the meeting two hours long?" in partner.get(url).content.decode()
    form = log_form("2", day=monday()) | {"version": str(entry.version)}
    response = partner.post(reverse("involvement:resubmit", kwargs={"claim_pk": entry.pk}), form)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.minutes, entry.amount) == (ClaimStatus.PENDING, 120, Decimal("20.00"))
    # The sponsor cannot change the partner's claim.
    assert sponsor.get(reverse("involvement:resubmit", kwargs={"claim_pk": entry.pk})).status_code == 403


def test_partners_cannot_approve_their_own_claims(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = services.log_involvement(
        projects.shared,
        partner=world.partner,
        occurred_on=monday(),
        activity="meeting",
        minutes=60,
        by=world.partner,
    )
    response = client_for(world.partner).post(
        reverse("involvement:claim", kwargs={"claim_pk": entry.pk}), {"decision": "approve"}
    )
    assert response.status_code == 403
    with pytest.raises(services.ClaimError):
        services.decide(entry, approve=True, by=world.partner)


def test_the_lead_logs_for_a_partner_but_does_not_then_read_their_payments(world, projects) -> None:  # type: ignore[no-untyped-def]
    lead = client_for(world.lead)
    url = reverse("involvement:log", kwargs={"pk": projects.shared.pk})
    response = lead.post(url, log_form("2") | {"partner": str(world.partner.pk)})
    assert response.status_code == 302
    entry = InvolvementEntry.objects.get()
    assert (entry.partner, entry.logged_by) == (world.partner, world.lead)
    assert lead.get(reverse("involvement:claim", kwargs={"claim_pk": entry.pk})).status_code == 404
    # The coach is in the team but neither logs for partners nor reads payments.
    assert client_for(world.coach).get(url).status_code == 403


def test_the_claim_form_is_a_pdf_without_bank_details(world, projects) -> None:  # type: ignore[no-untyped-def]
    entry = services.log_involvement(
        projects.shared,
        partner=world.partner,
        occurred_on=monday(),
        activity="training",
        minutes=180,
        by=world.partner,
    )
    response = client_for(world.partner).get(reverse("involvement:claim_form", kwargs={"claim_pk": entry.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_qi_team_admin_changes_the_bands_and_new_claims_use_them(world, projects) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(world.admin)
    url = reverse("involvement:payment_settings", kwargs={"slug": world.trust.slug})
    page = admin.get(url)
    assert "does not store bank details" in page.content.decode()
    bad = admin.post(url, {"version": "1", "long_session_minutes": "two", "short_session_amount": "-1"})
    assert "There is a problem" in bad.content.decode() and bad.status_code == 200
    response = admin.post(
        url,
        {
            "version": "1",
            "long_session_minutes": "3",
            "short_session_amount": "12.50",
            "long_session_amount": "25",
            "weekly_amount_limit": "110",
            "weekly_minutes_limit": "16",
        },
    )
    assert response.status_code == 302
    rates = services.payment_settings_for(world.trust)
    assert (rates.long_session_minutes, rates.weekly_minutes_limit, rates.short_session_amount) == (
        180,
        960,
        Decimal("12.50"),
    )
    entry = services.log_involvement(
        projects.shared,
        partner=world.partner,
        occurred_on=monday(),
        activity="meeting",
        minutes=150,
        by=world.partner,
    )
    assert entry.amount == Decimal("12.50")
    # Someone else's older version is a conflict, not an overwrite.
    stale = admin.post(
        url,
        {
            "version": "1",
            "long_session_minutes": "2",
            "short_session_amount": "10",
            "long_session_amount": "20",
            "weekly_amount_limit": "104",
            "weekly_minutes_limit": "15",
        },
    )
    assert "Someone else changed this record" in stale.content.decode()
    assert client_for(world.sponsor).get(url).status_code == 404


def test_the_onboarding_checklist_shows_to_the_lead_and_coach_until_complete(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    member = project.team.get(user=world.partner, role=TeamRole.PARTNER)
    team_url = reverse("projects:team", kwargs={"pk": project.pk})
    assert "Partner onboarding" in client_for(world.coach).get(team_url).content.decode()
    assert 'id="partner-onboarding"' in client_for(world.lead).get(team_url).content.decode()
    assert 'id="partner-onboarding"' not in client_for(world.partner).get(team_url).content.decode()
    assert 'id="partner-onboarding"' not in client_for(world.sponsor).get(team_url).content.decode()
    url = reverse("involvement:onboarding", kwargs={"pk": project.pk, "member_pk": member.pk})
    assert client_for(world.partner).get(url).status_code == 403
    coach = client_for(world.coach)
    coach.post(url, {"contact_method_agreed": "on", "named_contact": str(world.coach.pk)})
    checklist = PartnerOnboarding.objects.get()
    assert checklist.done == 2 and not checklist.complete
    assert "2 of 6 done" in client_for(world.lead).get(team_url).content.decode()
    assert onboarding_counts(Project.objects.filter(pk=project.pk)).complete == 0
    everything = dict.fromkeys(OnboardingItem.values, "on")
    coach.post(url, everything | {"named_contact": str(world.coach.pk), "version": str(checklist.version)})
    checklist.refresh_from_db()
    assert checklist.complete
    body = client_for(world.lead).get(team_url).content.decode()
    assert 'id="partner-onboarding"' not in body and "Complete" in body
    counts = onboarding_counts(Project.objects.filter(pk__in=[projects.shared.pk, projects.private.pk]))
    assert (counts.partners, counts.complete, counts.incomplete) == (2, 1, 1)


def test_reflections_are_saved_per_stage_shown_on_the_project_and_summarised(world, projects) -> None:  # type: ignore[no-untyped-def]
    project = projects.shared
    url = reverse("involvement:reflection", kwargs={"pk": project.pk, "stage": "start"})
    answers = {
        "shared_power": "2",
        "whole_life_skills": "3",
        "training": "1",
        "communication": "2",
        "support": "4",
    }
    partner = client_for(world.partner)
    bad = partner.post(url, {"recorded_on": "1/3/2026"})
    assert "Select an answer for" in bad.content.decode()
    partner.post(
        url, answers | {"recorded_on": "1/3/2026", "actions": "Book the introduction to QI for everyone"}
    )
    partner.post(url, answers | {"recorded_on": "2/3/2026", "training": "3", "version": "1"})
    reflection = CoproductionReflection.objects.get()
    assert (reflection.training, reflection.recorded_on, reflection.version) == (3, dt.date(2026, 3, 2), 2)
    overview = (
        client_for(world.member).get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    )
    assert "Latest reflection: start of the project" in overview
    summary = reflection_summary(Project.objects.filter(pk=project.pk))
    assert summary.projects_by_stage == {"start": 1, "mid": 0, "end": 0}
    assert summary.average_by_theme["training"] == 3.0 and summary.average_by_theme["support"] == 4.0
    assert (
        partner.get(
            reverse("involvement:reflection", kwargs={"pk": project.pk, "stage": "later"})
        ).status_code
        == 404
    )
    assert client_for(world.sponsor).get(url).status_code == 403


def test_check_may_log_refuses_people_who_are_not_partner_or_lead(world, projects) -> None:  # type: ignore[no-untyped-def]
    from openqi.involvement.access import check_may_log
    from openqi.projects.access import Level

    with pytest.raises(PermissionDenied):
        check_may_log(world.coach, projects.shared, Level.EDIT)
    check_may_log(world.partner, projects.shared, Level.EDIT)
