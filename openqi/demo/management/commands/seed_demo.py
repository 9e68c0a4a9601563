"""Demo data shaped like an NHS mental health and community trust (see DOMAIN.md).

Idempotent: running it again keeps what exists and adds only what is missing, so `make run` can
call it every time without losing anything a person did in the demo.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from openqi.accounts.models import User
from openqi.coaching import demo as coaching_demo
from openqi.involvement import demo as involvement_demo
from openqi.learning import demo as learning_demo
from openqi.meetings import demo as meetings_demo
from openqi.organisations.models import Directorate, Membership, Organisation, Role, Service
from openqi.portfolio import demo as portfolio_demo
from openqi.projects import demo as project_demo
from openqi.tools import demo as tools_demo

DEMO_ORGANISATION = ("Northshire Health and Care NHS Foundation Trust", "northshire")
DEMO_STRUCTURE = {
    "Community and Addictions": ["Addictions Community Service", "Community Mental Health Team North"],
    "Primary Care Mental Health": ["Talking Therapies Wellbeing Service", "Perinatal Mental Health"],
}
DEMO_PEOPLE: list[tuple[str, str, list[str]]] = [
    ("qi.admin@northshire.nhs.uk", "Priya Shah", [Role.QI_TEAM_ADMIN, Role.IMPROVEMENT_ADVISOR]),
    ("coach@northshire.nhs.uk", "Dan Okafor", [Role.QI_COACH]),
    ("sponsor@northshire.nhs.uk", "Helen Marsh", [Role.SPONSOR]),
    ("practitioner@northshire.nhs.uk", "Aisha Khan", []),
    ("pwp.lead@northshire.nhs.uk", "Grace Bennett", []),
    ("administrator@northshire.nhs.uk", "Tom Reid", []),
    ("recovery.worker@northshire.nhs.uk", "Lena Novak", []),
    # Service-user partner: a personal address, not an NHS one.
    ("sam.taylor.partner@example.com", "Sam Taylor", []),
]
# A second trust, so the demo shows (and people can check) that organisations never see each other.
OTHER_ORGANISATION = ("Eastvale Community NHS Trust", "eastvale")
OTHER_PEOPLE: list[tuple[str, str, list[str]]] = [
    ("qi.lead@eastvale.nhs.uk", "Morgan Ellis", [Role.QI_TEAM_ADMIN]),
]


class Command(BaseCommand):
    help = "Create (or top up) the demo organisations, structure and people."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        org = self._organisation(*DEMO_ORGANISATION, DEMO_STRUCTURE, DEMO_PEOPLE)
        self._organisation(*OTHER_ORGANISATION, {"Adult Services": ["Memory Service"]}, OTHER_PEOPLE)
        projects = project_demo.seed(org)
        self.stdout.write(f"Demo projects: {', '.join(p.title for p in projects)}.")
        call_command("seed_measures", stdout=self.stdout)
        # The programme around the projects, lowest layer first: each may use what the one before made.
        for domain in (meetings_demo, coaching_demo, learning_demo, involvement_demo, tools_demo):
            domain.seed(org)
        portfolio_demo.seed(org)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {org.name} and {OTHER_ORGANISATION[0]}."))

    def _organisation(
        self, name: str, slug: str, structure: dict[str, list[str]], people: list[tuple[str, str, list[str]]]
    ) -> Organisation:
        org, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
        for directorate_name, service_names in structure.items():
            directorate, _ = Directorate.objects.get_or_create(organisation=org, name=directorate_name)
            for service_name in service_names:
                Service.objects.get_or_create(directorate=directorate, name=service_name)
        for email, person_name, roles in people:
            user = User.objects.get_by_email(email) or User.objects.create_user(email=email, name=person_name)
            Membership.objects.get_or_create(
                organisation=org, user=user, defaults={"roles": [str(r) for r in roles]}
            )
        return org
