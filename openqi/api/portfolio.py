"""Portfolio: the dashboard's figures (with the dashboard's filters), the signal scan's latest results and
what changed since the scan before, QI forum packs, and a project's storyboard exports. Each answers
exactly what the caller's pages show them (openqi/portfolio/access.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router
from pydantic import BaseModel, Field

from openqi.api.base import Out
from openqi.api.common import Ref, form_problem, page_url, project_or_404, responses
from openqi.organisations.scoping import scope_for
from openqi.portfolio import presenters
from openqi.portfolio.access import organisation_or_404, reporting_organisation_or_404
from openqi.portfolio.models import ForumPack, RunStatus
from openqi.projects.models import CoproductionLevel, Lifecycle

router = Router(tags=["Portfolio"])


class DashboardQuery(BaseModel):
    """The dashboard's filters; each narrows every figure."""

    directorate: int | None = Field(None, description="A directorate's id.")
    service: int | None = Field(None, description="A service's id.")
    priority: int | None = Field(None, description="A strategic priority's id.")
    stage: Lifecycle | None = Field(None, description="The projects' stage.")
    coproduction: CoproductionLevel | None = Field(None, description="How service users are involved.")
    coach: int | None = Field(None, description="The id of a QI coach on the team.")


class BarOut(Out):
    label: str
    count: int
    projects_page: str = Field(description="The page listing the projects behind this number.")


class FigureOut(Out):
    key: str
    title: str
    description: str
    text: str = Field(description="The figure in words.")
    bars: list[BarOut]


class DashboardOut(Out):
    organisation: Ref
    projects: int = Field(description="How many projects the figures count (those you may see).")
    figures: list[FigureOut]


class SignalOut(Out):
    measure: str
    project: str
    chart_page: str
    text: str


class SignalListOut(Out):
    key: str
    title: str
    items: list[SignalOut]


class SignalsOut(Out):
    organisation: Ref
    scanned_at: dt.datetime | None = Field(description="When the latest scan finished (null: none yet).")
    measures_scanned: int
    compared_with: dt.datetime | None = Field(description="When the scan it is compared with finished.")
    changes: list[SignalListOut]


class ForumPackOut(Out):
    id: int
    directorate: Ref
    forum_date: dt.date
    status: str
    progress: int = Field(description="0 to 100, while the PDF and slides are made.")
    page_url: str
    pdf: str | None
    pptx: str | None


class ExportsOut(Out):
    poster_pdf: str
    storyboard_pdf: str
    storyboard_pptx: str
    public_page: str | None = Field(description="The project in the public showcase, if it is public.")


_FORM = {"lifecycle": "stage"}


@router.get(
    "/portfolio/organisations/{organisation_id}/dashboard",
    response=responses({200: DashboardOut}, 404, 422),
    url_name="portfolio_dashboard",
    summary="The portfolio dashboard's figures, over the projects you may see",
)
def dashboard(request: HttpRequest, organisation_id: int, query: Query[DashboardQuery]) -> DashboardOut:
    organisation = organisation_or_404(request.user, pk=organisation_id)
    data = {
        "directorate": query.directorate,
        "service": query.service,
        "priority": query.priority,
        "lifecycle": query.stage.value if query.stage else None,
        "coproduction": query.coproduction.value if query.coproduction else None,
        "coach": query.coach,
    }
    given = {k: str(v) for k, v in data.items() if v is not None}
    page = presenters.dashboard_figures(request.user, organisation, given or None)
    if page.form.is_bound and not page.form.is_valid():
        names = {name: f"query.{_FORM.get(name, name)}" for name in page.form.fields}
        raise form_problem(page.form, "A filter does not match anything you can filter by.", names=names)
    return DashboardOut(
        organisation=Ref(id=organisation.pk, name=organisation.name),
        projects=page.total,
        figures=[
            FigureOut(
                key=f.key,
                title=f.title,
                description=f.description,
                text=f.text,
                bars=[
                    BarOut(label=b.label, count=b.count, projects_page=request.build_absolute_uri(b.href))
                    for b in f.bars
                ],
            )
            for f in page.figures
        ],
    )


@router.get(
    "/portfolio/organisations/{organisation_id}/signals",
    response=responses({200: SignalsOut}, 404),
    url_name="portfolio_signals",
    summary="The latest signal scan: what changed in the measures you may see",
)
def signals(request: HttpRequest, organisation_id: int) -> SignalsOut:
    organisation = organisation_or_404(request.user, pk=organisation_id)
    _form, projects = presenters.filtered(request.user, organisation, None)
    summary = presenters.signal_summary(request.user, organisation, projects)
    return SignalsOut(
        organisation=Ref(id=organisation.pk, name=organisation.name),
        scanned_at=summary.scan.finished_at if summary.scan else None,
        measures_scanned=summary.scan.measures_scanned if summary.scan else 0,
        compared_with=summary.previous.finished_at if summary.previous else None,
        changes=[
            SignalListOut(
                key=key,
                title=title,
                items=[
                    SignalOut(
                        measure=i.measure,
                        project=i.project,
                        chart_page=request.build_absolute_uri(i.href),
                        text=i.text,
                    )
                    for i in items
                ],
            )
            for key, title, items in summary.lists
        ],
    )


def _pack(request: HttpRequest, pack: ForumPack) -> ForumPackOut:
    ready = pack.status == RunStatus.DONE

    def download(fmt: str) -> str | None:
        url = reverse("portfolio:forum_download", kwargs={"pk": pack.pk, "fmt": fmt})
        return request.build_absolute_uri(url) if ready else None

    return ForumPackOut(
        id=pack.pk,
        directorate=Ref(id=pack.directorate.pk, name=pack.directorate.name),
        forum_date=pack.forum_date,
        status=pack.status,
        progress=pack.progress,
        page_url=page_url(request, "portfolio:forum_pack", pk=pack.pk),
        pdf=download("pdf"),
        pptx=download("pptx"),
    )


@router.get(
    "/portfolio/organisations/{organisation_id}/forum-packs",
    response=responses({200: list[ForumPackOut]}, 404),
    url_name="portfolio_forum_packs",
    summary="QI forum packs (QI team admins and improvement advisors)",
)
def forum_packs(request: HttpRequest, organisation_id: int) -> list[ForumPackOut]:
    organisation = reporting_organisation_or_404(request.user, pk=organisation_id)
    packs = (
        scope_for(request.user)
        .filter(organisation.forum_packs.all())
        .select_related("directorate")
        .defer("pdf", "pptx")
    )
    return [_pack(request, p) for p in packs[:100]]


@router.get(
    "/projects/{project_id}/exports",
    response=responses({200: ExportsOut}, 404),
    url_name="project_exports",
    summary="A project's storyboard, poster and slides",
)
def project_exports(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project, _level = project_or_404(request, project_id)

    def link(kind: str) -> str:
        return page_url(request, "portfolio:export", pk=project.pk, kind=kind)

    public = presenters.exports_panel(project, _level)["public_href"]
    return {
        "poster_pdf": link("poster.pdf"),
        "storyboard_pdf": link("storyboard.pdf"),
        "storyboard_pptx": link("storyboard.pptx"),
        "public_page": request.build_absolute_uri(public) if public else None,
    }
