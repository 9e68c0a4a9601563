"""The quarterly board report: the portfolio's numbers over time as Making Data Count charts, its
co-production share, and three project stories chosen by the QI team, as a PDF and slides."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from openqi_spc.errors import SPCError
from openqi_spc.render import render_paper, render_png
from pptx.util import Inches

from openqi.core.documents import pdf_from_html
from openqi.core.formatting import long_date
from openqi.learning.reports import trained_counts
from openqi.measures import charting
from openqi.organisations.models import Organisation
from openqi.portfolio import storyboard
from openqi.portfolio.dashboard import IMPROVING_SCORE
from openqi.projects.models import CoproductionLevel, Lifecycle, ProgressScoreChange, Project

MONTHS_SHOWN = 24
QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter of the NHS financial year that starts in April of `year`."""
    start = dt.date(year + (1 if quarter == 4 else 0), QUARTER_START_MONTH[quarter], 1)
    after = dt.date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def _months_to(end: dt.date) -> list[dt.date]:
    months, year, month = [], end.year, end.month
    for _ in range(MONTHS_SHOWN):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class BoardChart:
    title: str
    svg: str
    summary: list[str]
    table: list[tuple[str, int]]

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")

    def png(self) -> bytes:
        return render_png(self.svg, 1.5)


def _chart(title: str, months: list[dt.date], counts: Counter[dt.date]) -> BoardChart:
    values = [float(counts.get(m, 0)) for m in months]
    try:
        computed = charting.analyse_series(
            y=values, x=months, chart="i", improvement="increase", period="months"
        )
        name = "XmR chart (Making Data Count)"
    except SPCError:  # no variation at all (a new portfolio): limits cannot be drawn, a run chart can
        computed = charting.analyse_series(
            y=values, x=months, chart="run", improvement="increase", period="months"
        )
        name = "Run chart"
    spec = dataclasses.replace(computed.spec, title=title)
    svg = render_paper(
        spec,
        size="slide",
        headline=computed.summary[0] if computed.summary else "",
        period_text=f"{name} · monthly, {long_date(months[0])} to {long_date(months[-1])}",
        point_labels=[f"{m:%b %Y}" for m in months],
        source="OpenQI",
    )
    return BoardChart(
        title, svg, list(computed.summary), [(f"{m:%B %Y}", int(counts.get(m, 0))) for m in months]
    )


@dataclass
class BoardReport:
    organisation: Organisation
    start: dt.date
    end: dt.date
    numbers: list[tuple[str, str]]
    charts: list[BoardChart]
    stories: list[storyboard.Storyboard]

    @property
    def title(self) -> str:
        return f"Quality improvement portfolio: {long_date(self.start)} to {long_date(self.end)}"


def _month(value: dt.datetime | dt.date) -> dt.date:
    return dt.date(value.year, value.month, 1)


def board_report(
    organisation: Organisation,
    projects: QuerySet[Project],
    start: dt.date,
    end: dt.date,
    stories: list[Project],
) -> BoardReport:
    """The report on `projects` (the organisation's, as its QI team sees them) for the quarter."""
    ours = projects.filter(organisation=organisation)
    months = _months_to(end)
    first_at_3 = (
        ProgressScoreChange.objects.filter(
            project__in=ours.order_by().values("pk"), score__gte=IMPROVING_SCORE
        )
        .values("project")
        .annotate(first=Min("changed_at"))
        .values_list("first", flat=True)
    )
    reached = Counter(_month(timezone.localtime(at)) for at in first_at_3)
    started = Counter(_month(timezone.localtime(at)) for at in ours.values_list("created_at", flat=True))
    rows = list(ours.values_list("lifecycle", "coproduction", "progress_score"))
    open_rows = [r for r in rows if r[0] in (Lifecycle.APPROVED, Lifecycle.ACTIVE, Lifecycle.SUSTAINING)]
    partners = sum(1 for r in open_rows if r[1] == CoproductionLevel.PARTNERS)
    consulted = sum(1 for r in open_rows if r[1] == CoproductionLevel.CONSULTED)
    in_quarter = sum(count for month, count in reached.items() if start <= month <= end)
    share = f"{round(100 * partners / len(open_rows))}%" if open_rows else "no open projects"
    numbers = [
        ("Projects in the portfolio", str(len(rows))),
        ("Approved, active or sustaining", str(len(open_rows))),
        (
            "Showing improvement now (score 3.0 or more)",
            str(sum(1 for r in rows if r[2] is not None and r[2] >= IMPROVING_SCORE)),
        ),
        ("Reached 3.0 or more in the quarter", str(in_quarter)),
        (
            "Co-production: service users as partners (Big I)",
            f"{partners} of {len(open_rows)} open projects ({share})",
        ),
        ("Co-production: service users consulted (little i)", str(consulted)),
        *_training_reach(organisation, start, end),
    ]
    return BoardReport(
        organisation=organisation,
        start=start,
        end=end,
        numbers=numbers,
        charts=[
            _chart("Projects reaching a progress score of 3.0 or more, per month", months, reached),
            _chart("Projects started, per month", months, started),
        ],
        stories=[storyboard.storyboard_for(p) for p in stories],
    )


def _training_reach(organisation: Organisation, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """People who completed QI training in the quarter and in all, from the learning records."""
    quarter, ever = trained_counts(organisation, since=start, until=end), trained_counts(organisation)
    return [
        (
            "Training reach: people who completed a QI programme in the quarter",
            f"{quarter.people} ({quarter.staff} staff, {quarter.partners} service users and carers)",
        ),
        ("Training reach: people trained in all", str(ever.people)),
    ]


def pdf(report: BoardReport) -> bytes:
    return pdf_from_html(render_to_string("portfolio/board_document.jinja", {"report": report}))


def pptx(report: BoardReport) -> bytes:
    deck = storyboard.new_deck()
    storyboard.text_slide(deck, report.title, [f"{label}: {value}" for label, value in report.numbers])
    for chart in report.charts:
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = chart.title
        picture = slide.shapes.add_picture(
            io.BytesIO(chart.png()),
            Inches(0.4),
            Inches(1.4),
            width=Inches(9.2),
        )
        picture._element.nvPicPr.cNvPr.set("descr", " ".join(chart.summary[:2]))
        slide.notes_slide.notes_text_frame.text = "\n".join(chart.summary)
    for story in report.stories:
        storyboard.text_slide(
            deck,
            f"Project story: {story.title}",
            [story.aim or "No aim yet.", *(f"{h.date} – {h.title}" for h in story.highlights[:4])],
        )
        for figure in story.charts[:1]:
            storyboard.chart_slide(deck, figure)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def story_choices(projects: QuerySet[Project]) -> Any:
    return projects.filter(
        lifecycle__in=[Lifecycle.ACTIVE, Lifecycle.SUSTAINING, Lifecycle.COMPLETED]
    ).order_by("title")
