"""The involvement demo tells its story (Sam Taylor's log, checklist and reflections) and running it again
adds nothing."""

from __future__ import annotations

import pytest

from openqi.demo.management.commands import seed_demo
from openqi.involvement import demo
from openqi.involvement.models import ClaimStatus, CoproductionReflection, InvolvementEntry, PartnerOnboarding
from openqi.projects import demo as project_demo

pytestmark = pytest.mark.django_db


def test_the_demo_partner_has_a_log_a_checklist_and_two_reflections() -> None:
    command = seed_demo.Command()
    org = command._organisation(*seed_demo.DEMO_ORGANISATION, seed_demo.DEMO_STRUCTURE, seed_demo.DEMO_PEOPLE)
    project_demo.seed(org)
    demo.seed(org)
    entries = InvolvementEntry.objects.filter(partner__email=demo.PARTNER)
    statuses = set(entries.values_list("status", flat=True))
    assert {
        ClaimStatus.APPROVED,
        ClaimStatus.PENDING,
        ClaimStatus.QUERIED,
        ClaimStatus.NOT_CLAIMED,
    } == statuses
    assert all(e.approver.email == demo.SPONSOR for e in entries if e.is_claim)
    assert entries.filter(activity="meeting", status=ClaimStatus.APPROVED).first().amount == 20
    checklist = PartnerOnboarding.objects.get(partner__email=demo.PARTNER)
    assert checklist.complete
    assert sorted(CoproductionReflection.objects.values_list("stage", flat=True)) == ["mid", "start"]
    counts = (entries.count(), PartnerOnboarding.objects.count(), CoproductionReflection.objects.count())
    demo.seed(org)
    assert (
        InvolvementEntry.objects.count(),
        PartnerOnboarding.objects.count(),
        CoproductionReflection.objects.count(),
    ) == counts
