"""The demo tells the LI CBT team's learning story, and seeding twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from openqi.accounts.models import User
from openqi.learning import presenters, reports
from openqi.learning.models import Cohort, CohortTeam, Enrolment, Feedback, Programme
from openqi.organisations.models import Organisation
from openqi.projects.demo import TALKING_THERAPIES
from openqi.projects.models import Project


def _record(email: str) -> presenters.LearningRecord:
    org = Organisation.objects.get(slug="northshire")
    return presenters.learning_record(User.objects.get(email=email), org)


def test_the_demo_tells_the_team_story_and_is_idempotent(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Programme.objects.count(),
        Cohort.objects.count(),
        Enrolment.objects.count(),
        Feedback.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Programme.objects.count(),
        Cohort.objects.count(),
        Enrolment.objects.count(),
        Feedback.objects.count(),
    ) == counts

    administrator = _record("administrator@northshire.nhs.uk")
    assert [line.programme for line in administrator.completed] == ["Enjoying Work", "Pocket QI"]
    assert [(line.programme, line.cohort) for line in administrator.current] == [
        ("Improvement Leaders' Programme", "Wave 9")
    ]
    assert administrator.summary == "Pocket QI ✓, ILP wave 9 — in progress"

    lead = _record("practitioner@northshire.nhs.uk")
    assert {line.programme for line in lead.completed} == {"Pocket QI", "QI tools: Learn and Apply"}
    pocket = next(line for line in lead.completed if line.programme == "Pocket QI")
    assert pocket.cohort == "April 2026"  # when she took over as lead (30 March 2026)
    partner = _record("sam.taylor.partner@example.com")
    assert [line.programme for line in partner.completed] == ["QI tools: Learn and Apply"]

    coach = _record("coach@northshire.nhs.uk")
    assert coach.is_coach and coach.coach_trained and TALKING_THERAPIES in [c.title for c in coach.coaching]

    org = Organisation.objects.get(slug="northshire")
    trained = reports.trained_counts(org)
    assert trained.people >= 10 and trained.partners >= 3
    assert reports.coach_counts(org) == reports.CoachCounts(
        trained=2, coaching_now=1
    )  # Dan coaches; Owen not yet
    perinatal = _record("hca.perinatal@northshire.nhs.uk")
    assert perinatal.summary == "Enjoying Work cohort 4 — in progress"
    assert (
        CohortTeam.objects.filter(cohort__programme__name="Enjoying Work", project__isnull=False).count() == 2
    )

    project = Project.objects.get(title=TALKING_THERAPIES)
    members = list(project.team.filter(left_on__isnull=True).select_related("user"))
    words = presenters.training_column(project, members, presenters.Level.ADMIN)
    by_name = {m.user.name: words[m.pk] for m in members}
    assert by_name["Tom Reid"] == "Pocket QI ✓, ILP wave 9 — in progress"
    assert by_name["Sam Taylor"] == "Learn and Apply ✓"
    assert by_name["Helen Marsh"] == "No training yet"
