"""What the portfolio pages show, ready for templates: the dashboard's figures and the signal scan's
changes, each only for what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from openqi.core.formatting import date_and_time, long_date
from openqi.measures.models import MeasureType, ProjectMeasure
from openqi.organisations.models import Organisation
from openqi.organisations.scoping import scope_for
from openqi.portfolio import dashboard, programme, scan
from openqi.portfolio.access import may_report
from openqi.portfolio.models import RunStatus, SignalScan
from openqi.projects import filters
from openqi.projects.access import Level
from openqi.projects.forms.project import ProjectFilterForm
from openqi.projects.models import Project, Visibility
from openqi.projects.presenters.projects import ProjectRow

# The reports linked from the dashboard, for those who may make them.
REPORT_PAGES: list[tuple[str, str]] = [
    ("portfolio:forum_packs", "QI forum packs"),
    ("portfolio:board", "Quarterly board report"),
]

FILTER_NAMES = ("directorate", "service", "priority", "lifecycle", "coproduction", "coach")


def filtered(user: Any, organisation: Organisation, data: Any) -> tuple[ProjectFilterForm, QuerySet[Project]]:
    """The projects list's own filter form and function, narrowed to one organisation."""
    form = filters.filter_form(user, data)
    return form, filters.filtered_projects(user, form).filter(organisation=organisation)


def chosen_filters(form: ProjectFilterForm) -> dict[str, str]:
    if not (form.is_bound and form.is_valid()):
        return {}
    return {name: str(form.data.get(name, "")) for name in FILTER_NAMES if form.data.get(name)}


@dataclass
class DashboardPage:
    organisation: Organisation
    form: ProjectFilterForm
    total: int
    figures: list[dashboard.Figure]
    signals: SignalSummary
    may_report: bool
    filter_words: list[str] = field(default_factory=list)

    @property
    def report_links(self) -> list[tuple[str, str]]:
        """The reports the reader may make (QI team admins and improvement advisors)."""
        if not self.may_report:
            return []
        return [(reverse(name), text) for name, text in REPORT_PAGES]


@dataclass
class Figures:
    form: ProjectFilterForm
    projects: QuerySet[Project]
    total: int
    figures: list[dashboard.Figure]


def dashboard_figures(user: Any, organisation: Organisation, data: Any) -> Figures:
    """The dashboard's figures over the projects the reader may see, narrowed by the filters in `data`."""
    form, projects = filtered(user, organisation, data)
    now = timezone.now()
    facts = dashboard.load_facts(projects, now=now)
    chosen = {"org": organisation.slug, **chosen_filters(form)}
    priorities = dashboard.organisation_priorities(organisation)
    shown = dashboard.figures(facts, priorities, chosen, now)
    builder = dashboard.Builder(facts, chosen, now)
    shown += [
        programme.ideas_figure(organisation, builder, chosen),
        programme.trained_figure(organisation),
        programme.involvement_figure(projects),
    ]
    return Figures(form, projects, len(facts), shown)


def dashboard_page(user: Any, organisation: Organisation, data: Any) -> DashboardPage:
    found = dashboard_figures(user, organisation, data)
    form = found.form
    words = [f"{form[name].label}: {_choice_label(form, name)}" for name in chosen_filters(form)]
    return DashboardPage(
        organisation=organisation,
        form=form,
        total=found.total,
        figures=found.figures,
        signals=signal_summary(user, organisation, found.projects),
        may_report=may_report(user, organisation),
        filter_words=words,
    )


def _choice_label(form: ProjectFilterForm, name: str) -> str:
    value = form.cleaned_data.get(name)
    if value is not None and hasattr(value, "name"):
        return str(value.name)
    choices = dict(getattr(form.fields[name], "choices", []))
    return str(choices.get(value, value))


@dataclass
class DrillDown:
    organisation: Organisation
    title: str
    rows: list[ProjectRow]
    dashboard_href: str


def drill_down(user: Any, organisation: Organisation, data: Any) -> DrillDown | None:
    """The projects behind one bar of the dashboard, or None for a bar that does not exist."""
    form, projects = filtered(user, organisation, data)
    now = timezone.now()
    facts = dashboard.load_facts(projects, now=now)
    figure, value = str(data.get("figure", "")), str(data.get("value", ""))
    title = dashboard.figure_title(figure, value, facts, dashboard.organisation_priorities(organisation), now)
    if title is None:
        return None
    pks = dashboard.matching(facts, figure, value, now)
    chosen = (
        scope_for(user)
        .filter(organisation.projects.filter(pk__in=pks))
        .select_related("organisation", "service")
        .prefetch_related("team__user")
        .order_by("title")
    )
    query = urlencode({"org": organisation.slug, **chosen_filters(form)})
    return DrillDown(
        organisation=organisation,
        title=title,
        rows=[ProjectRow.of(p) for p in chosen],
        dashboard_href=f"{reverse('portfolio:dashboard')}?{query}",
    )


# --- the signal scan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalItem:
    measure: str
    project: str
    href: str
    text: str


@dataclass
class SignalSummary:
    scan: SignalScan | None
    previous: SignalScan | None
    waiting: bool
    lists: list[tuple[str, str, list[SignalItem]]]

    @property
    def scanned_at(self) -> str:
        return date_and_time(self.scan.finished_at) if self.scan and self.scan.finished_at else ""


VARIATION_WORDS = {
    "special_cause_improvement_high": "special cause improvement (higher)",
    "special_cause_improvement_low": "special cause improvement (lower)",
    "special_cause_concern_high": "special cause concern (higher)",
    "special_cause_concern_low": "special cause concern (lower)",
    "special_cause_neutral_high": "special cause variation (higher)",
    "special_cause_neutral_low": "special cause variation (lower)",
    "common_cause": "common cause variation",
}
ASSURANCE_WORDS = {
    "consistently_pass": "consistently meets its target",
    "consistently_fail": "consistently fails its target",
    "inconsistent": "may or may not meet its target",
    "": "no assurance (no target or too few points)",
}


def _links(user: Any, projects: QuerySet[Project]) -> dict[int, list[ProjectMeasure]]:
    """The project measures of the projects the reader may see, by measure."""
    found: dict[int, list[ProjectMeasure]] = {}
    links = (
        scope_for(user)
        .filter(ProjectMeasure)
        .filter(project__in=projects.order_by().values("pk"))
        .select_related("measure", "project")
    )
    for link in links.order_by("project__title", "order", "pk"):
        found.setdefault(link.measure_id, []).append(link)
    return found


def signal_summary(user: Any, organisation: Organisation, projects: QuerySet[Project]) -> SignalSummary:
    """What changed between the last two scans, for measures in projects the reader may see."""
    current, previous = scan.latest_scans(organisation)
    waiting = (
        scope_for(user)
        .filter(organisation.signal_scans.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]))
        .exists()
    )
    if current is None:
        return SignalSummary(None, None, waiting, [])
    links = _links(user, projects)
    now = {s.measure_id: s for s in current.signals.filter(measure_id__in=list(links))}
    before = (
        {s.measure_id: s for s in previous.signals.filter(measure_id__in=list(links))} if previous else {}
    )
    improvement, concern, assurance, balancing, silent = [], [], [], [], []
    for measure_id, signal in now.items():
        was = before.get(measure_id)
        for link in links[measure_id]:
            href = reverse("measures:detail", kwargs={"pk": link.project_id, "pm": link.pk})

            def item(text: str, link: ProjectMeasure = link, href: str = href) -> SignalItem:
                return SignalItem(link.measure.name, link.project.title, href, text)

            words = VARIATION_WORDS.get(signal.variation, "")
            if "improvement" in signal.variation and (was is None or was.variation != signal.variation):
                improvement.append(item(f"New {words}."))
            if "concern" in signal.variation and (was is None or was.variation != signal.variation):
                concern.append(item(f"New {words}."))
            if was is not None and was.assurance != signal.assurance:
                assurance.append(
                    item(
                        f"Was: {ASSURANCE_WORDS.get(was.assurance, was.assurance)}; now: "
                        f"{ASSURANCE_WORDS.get(signal.assurance, signal.assurance)}."
                    )
                )
            if link.measure_type == MeasureType.BALANCING and "concern" in signal.variation:
                balancing.append(item(f"Balancing measure showing {words}."))
            if signal.no_recent_data:
                last = f"last data {long_date(signal.last_period)}" if signal.last_period else "no data yet"
                silent.append(item(f"No data for {scan.SILENT_PERIODS} periods or more ({last})."))
    return SignalSummary(
        current,
        previous,
        waiting,
        [
            ("improvement", "New special-cause improvement", improvement),
            ("concern", "New special-cause concern", concern),
            ("assurance", "Assurance changed", assurance),
            ("balancing", "Balancing measures showing concern", balancing),
            ("silent", f"No data for {scan.SILENT_PERIODS} periods", silent),
        ],
    )


EXPORT_LINKS = (
    ("poster.pdf", "Poster (A3 PDF)"),
    ("storyboard.pdf", "Storyboard (A4 PDF)"),
    ("storyboard.pptx", "Storyboard slides (PowerPoint)"),
)


def exports_panel(project: Project, level: Level) -> dict[str, Any]:
    """The project page's links to its storyboard, poster and slides (anyone who can see the project)."""
    return {
        "links": [
            (reverse("portfolio:export", kwargs={"pk": project.pk, "kind": kind}), text)
            for kind, text in EXPORT_LINKS
        ],
        "highlights_href": reverse("portfolio:highlights", kwargs={"pk": project.pk})
        if level >= Level.EDIT
        else "",
        "public_href": reverse("portfolio:showcase_project", kwargs={"pk": project.pk})
        if project.visibility == Visibility.PUBLIC
        else "",
    }
