"""Portfolio demo data (called by seed_demo after the projects and measures exist): a programme of
projects at every stage around the demo's own, one public project that closed with its lessons (the
showcase), last month's signal scan and today's (so "what changed" has something to say), and a forum pack
for the Community and Addictions directorate, whose addictions project is seeking approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from openqi.accounts.models import User
from openqi.measures.models import (
    DataKind,
    DataPoint,
    Frequency,
    Improvement,
    Measure,
    MeasureType,
    ProjectMeasure,
)
from openqi.organisations.models import Directorate, Organisation, Service, StrategicPriority
from openqi.portfolio import forum, scan
from openqi.portfolio.models import ForumPack, MeasureSignal, RunStatus, SignalScan
from openqi.projects.models import (
    CoproductionLevel,
    Lifecycle,
    ProgressScoreChange,
    Project,
    StoryCategory,
    StoryEntry,
    TeamMember,
    TeamRole,
    Visibility,
)

# (title, service, stage, co-production, priority, score history as (days ago, score), with a coach)
PROGRAMME: list[tuple[str, str, str, str, str, list[tuple[int, str]], bool]] = [
    (
        "Reducing missed first appointments in the community team",
        "Community Mental Health Team North",
        Lifecycle.COMPLETED,
        CoproductionLevel.PARTNERS,
        "Access and waiting times",
        [(560, "1.0"), (480, "2.0"), (400, "2.5"), (300, "3.5"), (200, "4.5")],
        True,
    ),
    (
        "Safer handovers between perinatal and health visiting teams",
        "Perinatal Mental Health",
        Lifecycle.ACTIVE,
        CoproductionLevel.CONSULTED,
        "Reducing harm",
        [(420, "1.0"), (300, "2.0"), (150, "2.5")],
        True,
    ),
    (
        "Protected lunch breaks on the community team",
        "Community Mental Health Team North",
        Lifecycle.ACTIVE,
        CoproductionLevel.NOT_YET,
        "Staff wellbeing",
        [(380, "2.0"), (200, "2.5"), (40, "3.0")],
        False,
    ),
    (
        "Faster triage of perinatal referrals",
        "Perinatal Mental Health",
        Lifecycle.APPROVED,
        CoproductionLevel.PARTNERS,
        "Access and waiting times",
        [(60, "1.0")],
        False,
    ),
]
PUBLIC_TITLE = PROGRAMME[0][0]


def _at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def _person(email: str) -> User | None:
    return User.objects.get_by_email(email)


def _programme(org: Organisation) -> None:
    lead, coach, sponsor, partner = (
        _person("recovery.worker@northshire.nhs.uk"),
        _person("coach@northshire.nhs.uk"),
        _person("sponsor@northshire.nhs.uk"),
        _person("sam.taylor.partner@example.com"),
    )
    for title, service_name, stage, coproduction, priority_name, scores, coached in PROGRAMME:
        service = Service.objects.filter(directorate__organisation=org, name=service_name).first()
        project, created = Project.objects.get_or_create(
            organisation=org,
            title=title,
            defaults={
                "service": service,
                "directorate": service.directorate if service else None,
                "lifecycle": stage,
                "coproduction": coproduction,
                "visibility": Visibility.PUBLIC if title == PUBLIC_TITLE else Visibility.ORGANISATION,
                "aim_what": f"Improve {title[0].lower()}{title[1:]}",
                "progress_score": Decimal(scores[-1][1]),
                "progress_reviewed_at": _at(scores[-1][0]),
            },
        )
        if not created:
            continue
        priority = StrategicPriority.objects.filter(organisation=org, name=priority_name).first()
        if priority:
            project.priorities.add(priority)
        previous = None
        for days, score in scores:
            ProgressScoreChange.objects.create(
                project=project,
                score=Decimal(score),
                previous_score=previous,
                note="Reviewed with the team and coach.",
                changed_by=coach,
                changed_at=_at(days),
            )
            previous = Decimal(score)
        team = [(lead, TeamRole.LEAD, True), (sponsor, TeamRole.SPONSOR, True)]
        if coached:
            team.append((coach, TeamRole.COACH, True))
        if coproduction == CoproductionLevel.PARTNERS:
            team.append((partner, TeamRole.PARTNER, False))  # Sam prefers not to be named in public
        for user, role, public in team:
            if user is not None:
                TeamMember.objects.create(project=project, user=user, role=role, show_name_publicly=public)
    _public_story(org)


def _public_story(org: Organisation) -> None:
    project = Project.objects.get(organisation=org, title=PUBLIC_TITLE)
    if project.story_entries.exists():
        return
    project.aim_what = "Reduce the proportion of first appointments missed in the community team"
    project.aim_baseline, project.aim_target = "22%", "10%"
    project.problem = "One in five people offered a first appointment did not attend, and waited again."
    project.save()
    author = _person("recovery.worker@northshire.nhs.uk")
    for days, category, title, text in (
        (520, StoryCategory.MILESTONE, "Charter agreed with the forum", "The forum approved the project."),
        (
            400,
            StoryCategory.LEARNING,
            "Ask people which time suits them",
            "Offering a choice of times in the first call halved the missed appointments on one team.",
        ),
        (
            330,
            StoryCategory.DECISION,
            "Adopt choice of times across the team",
            "All clinicians offer a choice.",
        ),
        (210, StoryCategory.CELEBRATION, "Target met for six months", "Missed first appointments below 10%."),
        (
            205,
            StoryCategory.LEARNING,
            "Reminders work best the day before",
            "Text reminders sent the day before did better than those sent a week before.",
        ),
    ):
        StoryEntry.objects.create(
            project=project,
            occurred_on=(timezone.now() - dt.timedelta(days=days)).date(),
            author=author,
            category=category,
            title=title,
            text=text,
        )
    measure, _ = Measure.objects.get_or_create(
        organisation=org,
        name="Missed first appointments, community team",
        defaults={
            "kind": DataKind.PROPORTION,
            "numerator_definition": "First appointments not attended",
            "denominator_definition": "First appointments offered",
            "unit": "%",
            "frequency": Frequency.MONTHLY,
            "improvement": Improvement.DECREASE,
            "target_value": Decimal("10"),
            "service": project.service,
        },
    )
    ProjectMeasure.objects.get_or_create(
        project=project, measure=measure, defaults={"measure_type": MeasureType.OUTCOME}
    )
    if not measure.points.exists():
        start = dt.date(2024, 1, 1)
        missed = [22, 20, 23, 21, 24, 19, 22, 21, 20, 23, 22, 21, 15, 13, 12, 11, 10, 9, 9, 8, 9, 8, 7, 8]
        DataPoint.objects.bulk_create(
            DataPoint(
                measure=measure,
                period=dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1),
                numerator=Decimal(n),
                denominator=Decimal(100),
            )
            for i, n in enumerate(missed)
        )


def _scans(org: Organisation) -> None:
    """Last month's scan (the same data without its last four points) and today's."""
    if SignalScan.objects.filter(organisation=org).exists():
        return
    series = scan.load_series(org)
    earlier = [scan.MeasureSeries(**{**s.__dict__, "values": s.values[:-4]}) for s in series]
    month_ago = _at(28)
    findings = scan.analyse(earlier, month_ago.date())
    last_month = SignalScan.objects.create(
        organisation=org,
        status=RunStatus.DONE,
        requested_at=month_ago,
        finished_at=month_ago,
        measures_scanned=len(findings),
    )
    MeasureSignal.objects.bulk_create(
        MeasureSignal(
            scan=last_month,
            measure_id=f.measure_id,
            variation=f.variation,
            assurance=f.assurance,
            n_points=f.n_points,
            last_period=f.last_period,
            no_recent_data=f.no_recent_data,
        )
        for f in findings
    )
    scan.run_scan(scan.request_scan(org, by=None, on_demand=False))


def _forum_pack(org: Organisation) -> None:
    directorate = Directorate.objects.filter(organisation=org, name="Community and Addictions").first()
    if directorate is None or ForumPack.objects.filter(directorate=directorate).exists():
        return
    pack = forum.request_pack(
        organisation=org,
        directorate=directorate,
        forum_date=timezone.localdate() + dt.timedelta(days=7),
        by=_person("qi.admin@northshire.nhs.uk"),
    )
    forum.build_pack(pack)


def seed(org: Organisation) -> None:
    """Idempotent: running it again keeps what exists and adds only what is missing."""
    _programme(org)
    _scans(org)
    _forum_pack(org)
