"""The done-when journey through the pages (the browser version is tests/system/test_learning_journeys.py):
a partner asks to join the introduction course, the QI team approves, the facilitator takes the register,
the partner gives feedback; then the record, the team page and the report show them trained."""

from __future__ import annotations

import datetime as dt
import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from openqi.learning.models import Audience, Enrolment, EnrolmentStatus, Feedback, Group
from openqi.learning.tests.factories import CohortFactory, ProgrammeFactory, SessionFactory
from openqi.organisations.models import Membership


def _pathway(world):  # type: ignore[no-untyped-def]
    intro = ProgrammeFactory(
        organisation=world.trust, name="Introduction to QI", audience=Audience.PARTNERS, position=1
    )
    pocket = ProgrammeFactory(organisation=world.trust, name="Pocket QI", position=2)
    intro.next_programmes.add(pocket)
    cohort = CohortFactory(
        programme=intro, name="January 2027", starts_on=dt.date.today() + dt.timedelta(days=7)
    )
    cohort.facilitators.add(world.coach)
    session = SessionFactory(cohort=cohort, title="Introduction to QI", date=cohort.starts_on)
    next_pocket = CohortFactory(
        programme=pocket, name="Run 4", starts_on=dt.date.today() + dt.timedelta(days=40)
    )
    return intro, cohort, session, next_pocket


def test_partner_enrols_is_approved_attends_gives_feedback_and_is_counted(world, projects) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=world.partner).update(is_guest=True)
    intro, cohort, session, next_pocket = _pathway(world)
    partner, admin, coach = Client(), Client(), Client()
    partner.force_login(world.partner)
    admin.force_login(world.admin)
    coach.force_login(world.coach)

    # Before: the team page prompts the lead about the partner, with the next introduction cohort.
    lead = Client()
    lead.force_login(world.lead)
    team = lead.get(reverse("projects:team", kwargs={"pk": projects.shared.pk})).content.decode()
    assert "No training yet" in team
    assert "Sam Taylor (service-user or carer partner)" in team and "January 2027" in team

    # The partner asks to join (a guest is offered "service user or carer" first).
    page = partner.get(reverse("learning:enrol", kwargs={"pk": cohort.pk})).content.decode()
    assert 'value="partner" checked' in page
    response = partner.post(reverse("learning:enrol", kwargs={"pk": cohort.pk}), {"group": Group.PARTNER})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(cohort=cohort, user=world.partner)
    assert enrolment.status == EnrolmentStatus.REQUESTED

    # The partner cannot approve themself; the QI team can.
    assert (
        partner.post(
            reverse("learning:decide", kwargs={"pk": enrolment.pk}), {"action": "approve"}
        ).status_code
        == 403
    )
    admin.post(reverse("learning:decide", kwargs={"pk": enrolment.pk}), {"action": "approve"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED

    # The facilitator takes the register.
    assert coach.get(reverse("learning:register", kwargs={"pk": session.pk})).status_code == 200
    coach.post(reverse("learning:register", kwargs={"pk": session.pk}), {"present": [str(enrolment.pk)]})
    enrolment.refresh_from_db()
    assert enrolment.completed_on == session.date

    # The partner gives feedback.
    response = partner.post(
        reverse("learning:feedback", kwargs={"pk": session.pk}),
        {"useful": "yes", "rating": "5", "usefulness": "4", "comment": "Clear and friendly."},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(enrolment=enrolment).rating == 5

    # Their record and the team page say so and suggest the next step.
    record = partner.get(reverse("learning:my_record")).content.decode()
    assert "Introduction to QI ✓" in record
    assert "Pocket QI: Run 4" in record
    team = lead.get(reverse("projects:team", kwargs={"pk": projects.shared.pk})).content.decode()
    assert "Introduction to QI ✓" in team
    assert "Sam Taylor (service-user or carer partner)" not in team

    # The report counts a service user trained.
    report = admin.get(reverse("learning:report")).content.decode()
    assert "1 person completed a programme: 0 staff and 1 service user or carer" in report
    csv = admin.get(reverse("learning:report_csv")).content.decode()
    assert "Introduction to QI," in csv and "Service user or carer" in csv

    # The feedback summary is a distribution.
    summary = coach.get(reverse("learning:session_feedback", kwargs={"pk": session.pk})).content.decode()
    assert "1 of 1 (100%) said it was useful" in summary
    assert "Clear and friendly." in summary

    # And the certificate is a PDF for them.
    pdf = partner.get(reverse("learning:certificate", kwargs={"pk": enrolment.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Sam Taylor" in text and "Introduction to QI" in text and "Certificate of completion" in text
    other = Client()
    other.force_login(world.member)
    assert other.get(reverse("learning:certificate", kwargs={"pk": enrolment.pk})).status_code == 403
