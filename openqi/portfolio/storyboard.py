"""A project's storyboard: what a team puts on a poster or a showcase slide, gathered once and drawn three
ways — an A3 poster PDF, an A4 storyboard PDF (both through `core.documents.pdf_from_html`, charts embedded
as SVG `data:` URIs) and a PPTX (python-pptx, charts as PNG).

Names follow each person's public-name choice everywhere: a team member who has not agreed to show their
name appears by role only, in every export, so a storyboard can be handed on without asking again.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from openqi_spc.render import render_png
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from openqi.core import audit
from openqi.core.documents import pdf_from_html
from openqi.core.formatting import long_date
from openqi.measures import charting
from openqi.measures.models import TYPE_ORDER, MeasureType, ProjectMeasure
from openqi.portfolio.models import StoryHighlight
from openqi.projects.models import ActDecision, Driver, Project, StoryCategory, StoryEntry
from openqi.tools.exports import storyboard_items

# How many charts a storyboard shows (outcome measures first, then process, then balancing).
KEY_CHARTS = 4
HIGHLIGHTS = 6
HIGHLIGHT_CATEGORIES = (StoryCategory.MILESTONE, StoryCategory.CELEBRATION, StoryCategory.DECISION)


@dataclass(frozen=True)
class ChartFigure:
    title: str
    measure_type: str
    svg: bytes
    summary: list[str]
    annotations: list[tuple[int, str]]
    link: ProjectMeasure

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")

    def png(self) -> bytes:
        return charting.chart_file(self.link, "png", "slide")


@dataclass(frozen=True)
class PrimaryDriver:
    title: str
    secondaries: list[str]
    ideas: list[str]


@dataclass(frozen=True)
class RampLine:
    idea: str
    cycles: int
    decisions: str


@dataclass(frozen=True)
class Highlight:
    date: str
    category: str
    title: str
    text: str


@dataclass(frozen=True)
class ToolPicture:
    """A QI tool the team chose for its storyboard (a process map, a fishbone…): its drawing and words."""

    title: str
    svg: str
    summary: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


@dataclass
class Storyboard:
    project: Project
    aim: str
    team: list[tuple[str, str]]
    unnamed: int
    drivers: list[PrimaryDriver]
    charts: list[ChartFigure]
    ramps: list[RampLine]
    highlights: list[Highlight]
    lessons: list[Highlight]
    tools: list[ToolPicture] = field(default_factory=list)
    made_on: str = field(default_factory=lambda: long_date(timezone.localdate()))

    @property
    def title(self) -> str:
        return self.project.title


def public_team(project: Project) -> tuple[list[tuple[str, str]], int]:
    named, unnamed = [], 0
    for member in project.team.filter(left_on__isnull=True).select_related("user").order_by("role", "pk"):
        if member.show_name_publicly and member.user.name:
            named.append((member.user.name, member.get_role_display()))
        else:
            unnamed += 1
    return named, unnamed


def _drivers(project: Project) -> list[PrimaryDriver]:
    drivers = list(Driver.objects.filter(project=project).prefetch_related("change_ideas"))
    primaries = []
    for primary in (d for d in drivers if d.parent_id is None):
        children = [d for d in drivers if d.parent_id == primary.pk]
        ideas = {i.title: None for d in [primary, *children] for i in d.change_ideas.all()}
        primaries.append(PrimaryDriver(primary.title, [c.title for c in children], list(ideas)))
    return primaries


def family_in_order(project: Project) -> list[ProjectMeasure]:
    """The project's measures as its family is read: outcome, then process, then balancing."""
    return sorted(
        ProjectMeasure.objects.filter(project=project).select_related("measure", "project"),
        key=lambda link: (TYPE_ORDER[MeasureType(link.measure_type)], link.order, link.pk),
    )


def key_charts(project: Project, limit: int = KEY_CHARTS) -> list[ChartFigure]:
    """The project's charts that tell its story: outcome measures first, then process, then balancing."""
    links = family_in_order(project)[:limit]
    items = [(link.measure, link.project_id, charting.chart_id_for(link)) for link in links]
    payloads = charting.payloads_for(items, "full")
    return [
        ChartFigure(
            title=link.measure.name,
            measure_type=link.get_measure_type_display(),
            svg=charting.chart_file(link, "svg", "a4"),
            summary=list(payload["summary"]),
            annotations=[(number, label) for number, label, _when in payload["annotations"]],
            link=link,
        )
        for link, payload in zip(links, payloads, strict=True)
    ]


def _ramps(project: Project) -> list[RampLine]:
    lines = []
    for idea in project.change_ideas.prefetch_related("pdsa_cycles").order_by("position", "pk"):
        cycles = list(idea.pdsa_cycles.all())
        if not cycles:
            continue
        decided = Counter(c.act_decision for c in cycles if c.act_decision)
        words = ", ".join(
            f"{decided[d]} {ActDecision(d).label.lower()}" for d in ActDecision.values if decided[d]
        )
        lines.append(RampLine(idea.title, len(cycles), words or "none decided yet"))
    return lines


def story_highlights(project: Project, categories: tuple[str, ...], limit: int) -> list[Highlight]:
    entries = project.story_entries.filter(category__in=categories).order_by("-occurred_on", "-pk")[:limit]
    return [Highlight(long_date(e.occurred_on), e.get_category_display(), e.title, e.text) for e in entries]


def chosen_highlights(project: Project) -> list[Highlight]:
    """The entries the team chose, or else the latest milestones, celebrations and decisions."""
    chosen = [h.entry for h in StoryHighlight.objects.filter(project=project).select_related("entry")]
    if not chosen:
        return story_highlights(project, HIGHLIGHT_CATEGORIES, HIGHLIGHTS)
    return [Highlight(long_date(e.occurred_on), e.get_category_display(), e.title, e.text) for e in chosen]


def set_highlights(project: Project, entries: list[StoryEntry], *, by: Any) -> None:
    """Replace the team's chosen highlights (audited)."""
    before = sorted(StoryHighlight.objects.filter(project=project).values_list("entry_id", flat=True))
    with transaction.atomic():
        StoryHighlight.objects.filter(project=project).exclude(entry__in=entries).delete()
        for entry in entries:
            StoryHighlight.objects.get_or_create(project=project, entry=entry, defaults={"chosen_by": by})
        audit.record(
            by=by,
            action="update",
            instance=project,
            project=project,
            changes={"storyboard_highlights": [before, sorted(e.pk for e in entries)]},
        )


def storyboard_for(project: Project) -> Storyboard:
    team, unnamed = public_team(project)
    return Storyboard(
        project=project,
        aim=project.aim_statement,
        team=team,
        unnamed=unnamed,
        drivers=_drivers(project),
        charts=key_charts(project),
        ramps=_ramps(project),
        highlights=chosen_highlights(project),
        lessons=story_highlights(project, (StoryCategory.LEARNING,), HIGHLIGHTS),
        tools=[ToolPicture(title, svg, summary) for title, svg, summary in storyboard_items(project)],
    )


# --- the three documents ------------------------------------------------------------------------------

PAPER = {"poster": "A3 portrait", "storyboard": "A4 portrait"}


def pdf(board: Storyboard, layout: str) -> bytes:
    """The A3 poster (`poster`) or the A4 storyboard (`storyboard`)."""
    html = render_to_string(
        "portfolio/storyboard_document.jinja", {"board": board, "paper": PAPER[layout], "layout": layout}
    )
    return pdf_from_html(html)


def text_slide(deck: Any, title: str, lines: list[str]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.clear()
    for n, line in enumerate(lines or ["Nothing recorded yet."]):
        paragraph = body.paragraphs[0] if n == 0 else body.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(16)


def chart_slide(deck: Any, figure: ChartFigure) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = figure.title
    picture = slide.shapes.add_picture(io.BytesIO(figure.png()), Inches(0.4), Inches(1.4), width=Inches(9.2))
    # The words of the chart, for people using a screen reader in PowerPoint.
    picture._element.nvPicPr.cNvPr.set("descr", " ".join(figure.summary[:2]))
    notes = slide.notes_slide.notes_text_frame
    notes.text = "\n".join([*figure.summary, *(f"{number}. {label}" for number, label in figure.annotations)])


def _driver_line(driver: PrimaryDriver) -> str:
    secondaries = ", ".join(driver.secondaries) or "no secondary drivers"
    return f"{driver.title}: {secondaries} → {', '.join(driver.ideas) or 'no change ideas'}"


def add_storyboard_slides(deck: Any, board: Storyboard) -> None:
    """The storyboard's slides, appended to `deck` (a forum pack or a board report reuses them)."""
    team = [f"{name} – {role}" for name, role in board.team]
    if board.unnamed:
        team.append(f"and {board.unnamed} team member{'s' if board.unnamed != 1 else ''} not named here")
    text_slide(deck, board.title, [board.aim or "No aim yet.", *team])
    text_slide(
        deck,
        "Driver diagram",
        [_driver_line(d) for d in board.drivers],
    )
    for figure in board.charts:
        chart_slide(deck, figure)
    for tool in board.tools:
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = tool.title
        picture = slide.shapes.add_picture(
            io.BytesIO(render_png(tool.svg, 1.5)), Inches(0.4), Inches(1.4), width=Inches(9.2)
        )
        picture._element.nvPicPr.cNvPr.set("descr", tool.summary[:500])
    text_slide(deck, "PDSA cycles", [f"{r.idea}: {r.cycles} cycle(s); {r.decisions}" for r in board.ramps])
    text_slide(deck, "Story highlights", [f"{h.date} – {h.title}" for h in board.highlights])
    text_slide(deck, "Lessons learned", [f"{h.title}: {h.text[:200]}" for h in board.lessons])


def new_deck() -> Any:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(Inches(10)), Emu(Inches(7.5))
    return deck


def pptx(board: Storyboard) -> bytes:
    deck = new_deck()
    add_storyboard_slides(deck, board)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
