"""The coaching demo: Dan's caseload of the three projects, 8+ sessions over months with actions, five
ideas in every triage state (the naloxone idea became the second addictions project), the talking-therapies
handover recorded through the handover action, two months of sent sponsor updates; seeding twice adds
nothing."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from openqi.accounts.models import User
from openqi.coaching import access
from openqi.coaching.models import CoachingSession, Idea, IdeaStatus, SponsorUpdate, SponsorUpdateProject
from openqi.meetings.models import Action
from openqi.projects.demo import MISSED_APPOINTMENTS, NALOXONE, TALKING_THERAPIES
from openqi.projects.models import LeadHandover
from openqi.projects.presenters.timeline import timeline_for

MODELS = (CoachingSession, Idea, SponsorUpdate, SponsorUpdateProject, LeadHandover, Action)


def test_the_demo_tells_the_coaching_story_and_is_idempotent(db: None, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    call_command("seed_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in MODELS]
    call_command("seed_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in MODELS] == counts

    dan = User.objects.get(email="coach@northshire.nhs.uk")
    caseload = {p.title for p in access.caseload_projects(dan, dan)}
    assert {TALKING_THERAPIES, MISSED_APPOINTMENTS, NALOXONE} <= caseload
    sessions = CoachingSession.objects.filter(coach=dan)
    assert sessions.count() >= 8 and {s.kind for s in sessions} >= {"one_to_one", "team"}
    assert sessions.filter(actions__isnull=False).distinct().count() >= 8
    span = max(s.held_on for s in sessions) - min(s.held_on for s in sessions)
    assert span.days > 180
    assert {i.status for i in Idea.objects.all()} == set(IdeaStatus.values)
    assert Idea.objects.get(status=IdeaStatus.PROJECT).project.title == NALOXONE  # type: ignore[union-attr]
    talking = sessions.filter(project__title=TALKING_THERAPIES).first().project  # type: ignore[union-attr]
    assert any("took over as lead from Grace Bennett" in i.title for i in timeline_for(talking))
    sent = SponsorUpdate.objects.filter(status="sent")
    assert sent.count() == 2 and len({u.month for u in sent}) == 2
    client = Client()
    client.force_login(dan)
    body = client.get(reverse("coaching:caseload")).content.decode()
    assert TALKING_THERAPIES in body and NALOXONE in body
    client.force_login(User.objects.get(email="sponsor@northshire.nhs.uk"))
    assert TALKING_THERAPIES in client.get(reverse("coaching:sponsored")).content.decode()
