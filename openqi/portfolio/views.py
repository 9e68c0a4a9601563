"""Portfolio pages: the dashboard and its drill-downs, and asking for a signal scan. Thin: access
(portfolio.access) → presenter → template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from openqi.core.documents import PDF_MEDIA_TYPE, PPTX_MEDIA_TYPE
from openqi.core.pagecache import cached_page
from openqi.core.tasks import enqueue_on_commit
from openqi.organisations.models import Organisation
from openqi.organisations.scoping import scope_for
from openqi.portfolio import board, forum, presenters, scan, showcase, storyboard, tasks
from openqi.portfolio.access import may_decide, organisation_or_404, reporting_organisation_or_404
from openqi.portfolio.forms import BoardReportForm, ForumDecisionForm, ForumPackForm, HighlightsForm
from openqi.portfolio.models import ForumPack, RunStatus
from openqi.projects.access import Level, project_for, visible_projects
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project
from openqi.projects.presenters.nav import project_context
from openqi.projects.services.projects import LifecycleError


@login_required
@cached_page
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request.user, request.GET.get("org"))
    page = presenters.dashboard_page(request.user, organisation, request.GET)
    return render(request, "portfolio/dashboard.jinja", {"page": page})


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request.user, request.GET.get("org"))
    page = presenters.drill_down(request.user, organisation, request.GET)
    if page is None:
        raise Http404("Not found")
    return render(request, "portfolio/projects.jinja", {"page": page})


@login_required
@require_POST
def request_scan(request: HttpRequest) -> HttpResponse:
    organisation = reporting_organisation_or_404(request.user, request.POST.get("org"))
    waiting = scan.request_scan(organisation, by=request.user, on_demand=True)
    enqueue_on_commit(tasks.scan_measures, organisation_id=organisation.pk, scan_id=waiting.pk)
    messages.success(request, "The signal scan has started. Its results appear here when it finishes.")
    return redirect("portfolio:dashboard")


# --- a project's storyboard and poster ------------------------------------------------------------------

EXPORTS: dict[str, tuple[str, str]] = {
    "poster.pdf": ("poster", PDF_MEDIA_TYPE),
    "storyboard.pdf": ("storyboard", PDF_MEDIA_TYPE),
    "storyboard.pptx": ("pptx", PPTX_MEDIA_TYPE),
}


PUBLIC_EXPORT_SECONDS = 60 * 60


def _document(project: Project, layout: str) -> bytes:
    board = storyboard.storyboard_for(project)
    return storyboard.pptx(board) if layout == "pptx" else storyboard.pdf(board, layout)


def _export(project: Project, kind: str, *, public: bool = False) -> HttpResponse:
    if kind not in EXPORTS:
        raise Http404("Not found")
    layout, media_type = EXPORTS[kind]
    if public:
        # Anyone on the internet may ask for these, and a PDF takes a second of CPU: a public document is
        # made at most once an hour (or when the project changes), never once per request.
        key = f"showcase:{project.pk}:{kind}:{project.updated_at.timestamp()}"
        body = cache.get(key)
        if body is None:
            body = _document(project, layout)
            cache.set(key, body, PUBLIC_EXPORT_SECONDS)
    else:
        body = _document(project, layout)
    response = HttpResponse(body, content_type=media_type)
    name = f"{slugify(project.title)[:60] or 'project'}-{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def project_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project, _level = project_for(request, pk, Level.VIEW)
    return _export(project, kind)


# --- the public showcase (no sign-in) ------------------------------------------------------------------


def showcase_index(request: HttpRequest) -> HttpResponse:
    form = showcase.ShowcaseForm(request.GET or None)
    page = Paginator(showcase.search(form), 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "portfolio/showcase.jinja",
        {"form": form, "page": page, "total": page.paginator.count, "query_string": params.urlencode()},
    )


def showcase_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = showcase.public_project_or_404(pk)
    return render(request, "portfolio/showcase_project.jinja", {"page": showcase.showcase_page(project)})


def showcase_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return _export(showcase.public_project_or_404(pk), kind, public=True)


# --- QI forum packs ---------------------------------------------------------------------------------------


def _pack_or_404(request: HttpRequest, pk: int) -> tuple[ForumPack, Organisation]:
    organisation = reporting_organisation_or_404(request.user, request.GET.get("org"))
    return scope_for(request.user).get_or_404(organisation.forum_packs.all(), pk=pk), organisation


@login_required
def forum_packs(request: HttpRequest) -> HttpResponse:
    organisation = reporting_organisation_or_404(request.user, request.GET.get("org"))
    form = ForumPackForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        pack = forum.request_pack(
            organisation=organisation,
            directorate=form.cleaned_data["directorate"],
            forum_date=form.cleaned_data["forum_date"],
            by=request.user,
        )
        enqueue_on_commit(tasks.make_forum_pack, organisation_id=organisation.pk, pack_id=pack.pk)
        return redirect("portfolio:forum_pack", pk=pack.pk)
    packs = (
        scope_for(request.user)
        .filter(organisation.forum_packs.all())
        .select_related("directorate")
        .defer("pdf", "pptx")
    )
    return render(
        request,
        "portfolio/forum_packs.jinja",
        {"form": form, "packs": packs[:50], "organisation": organisation},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def forum_pack(request: HttpRequest, pk: int) -> HttpResponse:
    pack, organisation = _pack_or_404(request, pk)
    content = forum.pack_content(pack, visible_projects(request.user).filter(organisation=organisation))
    decide = may_decide(request.user, organisation)
    forms_by_project = {
        item.project.pk: ForumDecisionForm(**guard_kwargs(item.project), prefix=f"p{item.project.pk}")
        for item in content.seeking
        if decide and item.decision is None
    }
    return _forum_page(request, pack, content, forms_by_project)


def _forum_page(
    request: HttpRequest,
    pack: ForumPack,
    content: forum.PackContent,
    forms: dict[int, ForumDecisionForm],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portfolio/forum_pack.jinja",
        {"pack": pack, "content": content, "forms": forms, "ready": pack.status == RunStatus.DONE},
        status=status,
    )


@login_required
@require_POST
def forum_decision(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    pack, organisation = _pack_or_404(request, pk)
    if not may_decide(request.user, organisation):
        raise PermissionDenied("Only the QI team admins record the forum's decisions.")
    project = scope_for(request.user).get_or_404(
        organisation.projects.filter(directorate=pack.directorate), pk=project_pk
    )
    form = ForumDecisionForm(request.POST, prefix=f"p{project.pk}", **guard_kwargs(project))
    if form.is_valid():
        try:
            forum.record_decision(
                pack,
                project,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except LifecycleError as error:
            form.add_error(None, str(error))
        else:
            record_confirmation(form, by=request.user, project=project, instance=project)
            messages.success(
                request, f"The forum's decision on “{project.title}” is recorded on the project."
            )
            return redirect("portfolio:forum_pack", pk=pack.pk)
    content = forum.pack_content(pack, visible_projects(request.user).filter(organisation=organisation))
    return _forum_page(request, pack, content, {project.pk: form}, status=400)


@login_required
def forum_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    pack, _organisation = _pack_or_404(request, pk)
    media = {"pdf": PDF_MEDIA_TYPE, "pptx": PPTX_MEDIA_TYPE}.get(fmt)
    body = getattr(pack, fmt, None) if media else None
    if media is None or body is None:
        raise Http404("Not found")
    response = HttpResponse(bytes(body), content_type=media)
    response["Content-Disposition"] = f'attachment; filename="qi-forum-{pack.forum_date:%Y-%m-%d}.{fmt}"'
    return response


# --- the quarterly board report ---------------------------------------------------------------------------


@login_required
def board_report(request: HttpRequest, fmt: str = "") -> HttpResponse:
    organisation = reporting_organisation_or_404(request.user, request.GET.get("org"))
    projects = visible_projects(request.user).filter(organisation=organisation)
    today = timezone.localdate()
    initial = {
        "year": today.year if today.month >= 4 else today.year - 1,
        "quarter": str((today.month - 4) % 12 // 3 + 1),
    }
    form = BoardReportForm(
        request.GET if "year" in request.GET else None,
        projects=board.story_choices(projects),
        initial=initial,
    )
    if fmt not in ("", "pdf", "pptx"):
        raise Http404("Not found")
    report = None
    if form.is_bound and form.is_valid():
        start, end = board.quarter_bounds(form.cleaned_data["year"], int(form.cleaned_data["quarter"]))
        report = board.board_report(organisation, projects, start, end, list(form.cleaned_data["stories"]))
        if fmt:
            body = board.pdf(report) if fmt == "pdf" else board.pptx(report)
            response = HttpResponse(body, content_type=PDF_MEDIA_TYPE if fmt == "pdf" else PPTX_MEDIA_TYPE)
            response["Content-Disposition"] = f'attachment; filename="board-report-{start:%Y-%m}.{fmt}"'
            return response
    elif fmt:
        return redirect(reverse("portfolio:board") + (f"?{request.GET.urlencode()}" if request.GET else ""))
    return render(
        request,
        "portfolio/board.jinja",
        {"form": form, "report": report, "organisation": organisation, "query": request.GET.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def highlights(request: HttpRequest, pk: int) -> HttpResponse:
    """The team chooses the story entries its storyboard, poster and showcase page show."""
    project, level = project_for(request, pk, Level.EDIT)
    chosen = [h.entry_id for h in project.story_highlights.all()]
    form = HighlightsForm(request.POST or None, project=project, initial={"entries": chosen})
    if request.method == "POST" and form.is_valid():
        storyboard.set_highlights(project, list(form.cleaned_data["entries"]), by=request.user)
        messages.success(request, "The storyboard's highlights are saved.")
        return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "portfolio/highlights.jinja",
        project_context(project, level, "overview", form=form),
        status=400 if form.is_bound else 200,
    )
