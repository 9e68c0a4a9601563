"""A directorate QI forum's pack: the projects seeking approval (record, aim, team, measures plan) and
updates on the directorate's active projects (score change, key chart with its summary, PDSA cycles, open
asks), presented from its page and kept as PDF and PPTX made in the background; and the forum's decisions,
recorded on the projects themselves."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from openqi.core import audit
from openqi.core.documents import pdf_from_html
from openqi.core.formatting import long_date
from openqi.measures.models import ProjectMeasure
from openqi.portfolio import storyboard
from openqi.portfolio.models import Decision, ForumDecision, ForumPack, RunStatus
from openqi.projects.models import Lifecycle, ProgressScoreChange, Project, StoryCategory
from openqi.projects.services.projects import change_lifecycle

# Asks of the forum: the challenges a team logged in its story since this long before the forum.
ASKS_SINCE = dt.timedelta(days=60)
UPDATE_STAGES = (Lifecycle.APPROVED, Lifecycle.ACTIVE, Lifecycle.SUSTAINING)


@dataclass
class SeekingApproval:
    project: Project
    team: list[tuple[str, str]]
    measures: list[tuple[str, str]]
    decision: ForumDecision | None


@dataclass
class ProjectUpdate:
    project: Project
    score_change: str
    chart: storyboard.ChartFigure | None
    cycles: list[tuple[str, str]]
    asks: list[storyboard.Highlight]


@dataclass
class PackContent:
    pack: ForumPack
    seeking: list[SeekingApproval]
    updates: list[ProjectUpdate]

    @property
    def title(self) -> str:
        return f"{self.pack.directorate.name} QI forum, {long_date(self.pack.forum_date)}"


def _team(project: Project) -> list[tuple[str, str]]:
    members = project.team.filter(left_on__isnull=True).select_related("user").order_by("role", "pk")
    return [(m.user.display_name, m.get_role_display()) for m in members]


def _score(value: Decimal | None) -> str:
    return "not scored" if value is None else str(value)


def _score_change(project: Project, since: dt.date) -> str:
    before = (
        ProgressScoreChange.objects.filter(project=project, changed_at__date__lt=since)
        .order_by("-changed_at", "-pk")
        .values_list("score", flat=True)
        .first()
    )
    now = project.progress_score
    if before == now:
        return f"Progress score {_score(now)}, unchanged since {long_date(since)}."
    return f"Progress score {_score(before)} → {_score(now)} since {long_date(since)}."


def _since(pack: ForumPack) -> dt.date:
    """The last forum of the directorate before this one, or four weeks earlier."""
    previous = (
        ForumPack.objects.filter(directorate=pack.directorate, forum_date__lt=pack.forum_date)
        .order_by("-forum_date")
        .values_list("forum_date", flat=True)
        .first()
    )
    return previous or pack.forum_date - dt.timedelta(days=28)


def pack_content(pack: ForumPack, projects: Any) -> PackContent:
    """The pack for the projects of its directorate among `projects` (those the reader may see)."""
    in_directorate = projects.filter(directorate=pack.directorate).select_related("organisation", "service")
    decisions = {d.project_id: d for d in ForumDecision.objects.filter(pack=pack).order_by("decided_at")}
    seeking = [
        SeekingApproval(
            project=project,
            team=_team(project),
            measures=[
                (link.measure.name, link.get_measure_type_display())
                for link in ProjectMeasure.objects.filter(project=project).select_related("measure")
            ],
            decision=decisions.get(project.pk),
        )
        for project in in_directorate.filter(
            pk__in=[
                *decisions,
                *in_directorate.filter(lifecycle=Lifecycle.PROPOSED).values_list("pk", flat=True),
            ]
        ).order_by("title")
    ]
    since = _since(pack)
    updates = []
    for project in (
        in_directorate.filter(lifecycle__in=UPDATE_STAGES).exclude(pk__in=list(decisions)).order_by("title")
    ):
        charts = storyboard.key_charts(project, 1)
        asks = project.story_entries.filter(
            category=StoryCategory.CHALLENGE, occurred_on__gte=pack.forum_date - ASKS_SINCE
        ).order_by("-occurred_on")
        updates.append(
            ProjectUpdate(
                project=project,
                score_change=_score_change(project, since),
                chart=charts[0] if charts else None,
                cycles=[(c.title, c.stage) for c in project.pdsa_cycles.order_by("-started_on", "-pk")[:5]],
                asks=[
                    storyboard.Highlight(long_date(e.occurred_on), e.get_category_display(), e.title, e.text)
                    for e in asks
                ],
            )
        )
    return PackContent(pack=pack, seeking=seeking, updates=updates)


def _progress(pack: ForumPack, percent: int, step: str, **fields: Any) -> None:
    ForumPack.objects.filter(pk=pack.pk).update(progress=percent, step=step, **fields)


def pdf(content: PackContent) -> bytes:
    return pdf_from_html(render_to_string("portfolio/forum_document.jinja", {"content": content}))


def pptx(content: PackContent) -> bytes:
    deck = storyboard.new_deck()
    storyboard.text_slide(
        deck,
        content.title,
        [
            f"{len(content.seeking)} project(s) seeking approval",
            f"{len(content.updates)} update(s) on active projects",
        ],
    )
    for item in content.seeking:
        storyboard.text_slide(
            deck,
            f"For approval: {item.project.title}",
            [
                item.project.aim_statement or "No aim yet.",
                "Team: " + (", ".join(f"{name} ({role})" for name, role in item.team) or "not formed"),
                "Measures: " + (", ".join(f"{name} ({kind})" for name, kind in item.measures) or "none yet"),
            ],
        )
    for update in content.updates:
        lines = [update.score_change, *(f"PDSA: {title} ({stage})" for title, stage in update.cycles)]
        lines += [f"Ask: {ask.title}" for ask in update.asks]
        storyboard.text_slide(deck, f"Update: {update.project.title}", lines)
        if update.chart is not None:
            storyboard.chart_slide(deck, update.chart)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def build_pack(pack: ForumPack) -> None:
    """Make the pack's PDF and PPTX, saying how far it has got; every project of the directorate (the
    people who may make a pack see the whole organisation)."""
    _progress(pack, 5, "Gathering the projects", status=RunStatus.RUNNING)
    try:
        content = pack_content(pack, Project.objects.filter(organisation=pack.organisation))
        _progress(pack, 30, "Making the PDF")
        made_pdf = pdf(content)
        _progress(pack, 70, "Making the slides", pdf=made_pdf)
        made_pptx = pptx(content)
        _progress(pack, 100, "Ready", pptx=made_pptx, status=RunStatus.DONE)
    except Exception:
        _progress(pack, 100, "Failed", status=RunStatus.FAILED)
        raise


def request_pack(*, organisation: Any, directorate: Any, forum_date: dt.date, by: Any) -> ForumPack:
    pack = ForumPack.objects.create(
        organisation=organisation, directorate=directorate, forum_date=forum_date, created_by=by
    )
    audit.record(
        by=by,
        action="create",
        instance=pack,
        organisation=organisation,
        changes={"forum_date": [None, str(forum_date)]},
    )
    return pack


@transaction.atomic
def record_decision(pack: ForumPack, project: Project, *, decision: str, note: str, by: Any) -> ForumDecision:
    """The forum's decision, kept with the pack and recorded on the project: approval moves it to
    approved (by the forum, on the forum's date); asking for changes sends it back to an idea with the
    forum's note. LifecycleError if the project cannot move so (decided already, say)."""
    forum_name = f"{pack.directorate.name} QI forum"
    if decision == Decision.APPROVE:
        change_lifecycle(
            project,
            to_state=Lifecycle.APPROVED,
            note=note,
            expected_version=project.version,
            by=by,
            approved_on=pack.forum_date,
            approved_by=forum_name,
        )
    else:
        change_lifecycle(
            project,
            to_state=Lifecycle.IDEA,
            note=f"The {forum_name} asked for changes: {note}",
            expected_version=project.version,
            by=by,
        )
    made = ForumDecision.objects.create(
        pack=pack, project=project, decision=decision, note=note, decided_by=by
    )
    audit.record(
        by=by, action="create", instance=made, project=project, changes={"decision": [None, decision]}
    )
    return made
