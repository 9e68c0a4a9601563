"""Coaching pages: thin views (access → query → presenter → render); the rules are in access.py, the
writes in services.py, the caseload's arithmetic in caseload.py and the update's document in report.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqi.coaching import access, caseload, presenters, report, services
from openqi.coaching.forms import (
    CaseloadSettingsForm,
    EditUpdateForm,
    IdeaForm,
    PrepareUpdateForm,
    SessionForm,
    TriageForm,
)
from openqi.coaching.models import CoachingSettings, Idea, IdeaStatus, SponsorUpdate
from openqi.core.concurrency import attempt_edit
from openqi.core.documents import PDF_MEDIA_TYPE
from openqi.organisations.models import Membership, Role, Service
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for, visible_projects
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project, TeamMember, TeamRole
from openqi.projects.presenters.nav import project_context

# --- the caseload ---------------------------------------------------------------------------------


@login_required
def caseload_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access.coaches_anything(user):
        raise PermissionDenied("The caseload is for QI coaches and the QI team.")
    coaches = access.coaches_user_may_see(user)
    coach = user
    wanted = request.GET.get("coach", "")
    if wanted:
        coach = next((c for c in coaches if str(c.pk) == wanted), None)
        if coach is None:
            raise Http404("Not found")
    sort, flag, stage = (request.GET.get(k, "") for k in ("sort", "flag", "stage"))
    rows = caseload.caseload_rows(access.caseload_projects(user, coach))
    shown = caseload.sort_and_filter(rows, sort=sort, flag=flag, stage=stage)
    qi_team = access.qi_team_organisations(user)
    return render(
        request,
        "coaching/caseload.jinja",
        {
            "coach": coach,
            "is_self": coach.pk == user.pk,
            "lines": presenters.caseload_lines(shown),
            "total": len(rows),
            "flagged": sum(1 for row in rows if row.flags),
            "sort": sort or "flags",
            "flag": flag,
            "stage": stage,
            "flag_options": presenters.flag_options(flag),
            "stage_options": presenters.stage_options(stage),
            "coach_options": [
                {"value": str(c.pk), "text": c.display_name, "selected": c.pk == coach.pk} for c in coaches
            ],
            "loads": caseload.coach_loads(coaches, visible_projects(user)) if qi_team else [],
            "can_configure": bool(scope_for(user).administered_organisations()),
        },
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The caseload flags' thresholds, set by the organisation's QI team admins."""
    organisations = scope_for(request.user).administered_organisations()
    if not organisations:
        raise PermissionDenied("Only the QI team admins set the caseload flags.")
    organisation = organisations[0]
    saved = scope_for(request.user).filter(CoachingSettings).filter(organisation=organisation).first()
    form = CaseloadSettingsForm(
        request.POST or None, instance=saved or CoachingSettings(organisation=organisation)
    )
    if request.method == "POST" and form.is_valid():
        services.save_settings(organisation, form.cleaned_data, by=request.user)
        messages.success(request, "Caseload flags saved.")
        return redirect("coaching:caseload")
    return render(request, "coaching/settings.jinja", {"form": form, "organisation": organisation})


# --- ideas ----------------------------------------------------------------------------------------


def _memberships(user: Any) -> list[Membership]:
    return scope_for(user).memberships


def _coach_choices(user: Any) -> list[tuple[int, str]]:
    """The QI coaches of the person's organisations (a guest partner's too: ideas come from anyone)."""
    orgs = [m.organisation_id for m in _memberships(user)]
    holders = scope_for(user).filter(Membership).filter(organisation_id__in=orgs).select_related("user")
    coaches = {(m.user_id, m.user.display_name) for m in holders if m.has_role(Role.QI_COACH)}
    return sorted(coaches, key=lambda pair: pair[1])


@login_required
def ideas(request: HttpRequest) -> HttpResponse:
    """The person's own ideas and, for coaches and the QI team, the ideas brought to them."""
    if not _memberships(request.user):
        raise Http404("Not found")
    status = request.GET.get("status", "")
    visible = access.ideas_for(request.user).select_related("brought_by", "coach", "project")
    mine = [i for i in visible if i.brought_by_id == request.user.pk]
    brought = [
        i for i in visible if i.brought_by_id != request.user.pk and (not status or i.status == status)
    ]
    counts = {label: sum(1 for i in visible if i.status == value) for value, label in IdeaStatus.choices}
    return render(
        request,
        "coaching/ideas.jinja",
        {
            "mine": presenters.idea_lines(mine),
            "brought": presenters.idea_lines(brought),
            "counts": counts if brought or status else {},
            "status_options": [{"value": "", "text": "Every status", "selected": not status}]
            + [{"value": v, "text": t, "selected": v == status} for v, t in IdeaStatus.choices],
            "status": status,
            "triager": any(
                access.may_triage(request.user, i) for i in visible if i.brought_by_id != request.user.pk
            )
            or access.coaches_anything(request.user),
        },
    )


@login_required
def idea_new(request: HttpRequest) -> HttpResponse:
    memberships = _memberships(request.user)
    if not memberships:
        raise Http404("Not found")
    coaches = _coach_choices(request.user)
    orgs = [m.organisation_id for m in memberships]
    services_offered = scope_for(request.user).filter(Service).filter(directorate__organisation_id__in=orgs)
    organisation = memberships[0].organisation
    form = IdeaForm(
        request.POST or None,
        coaches=coaches,
        services=[(s.pk, s.name) for s in services_offered],
        block=organisation.block_personal_data,
    )
    if request.method == "POST" and form.is_valid():
        coach_pk = int(form.cleaned_data["coach"])
        coach_org = next(
            (
                m
                for m in scope_for(request.user)
                .filter(Membership)
                .filter(user_id=coach_pk, organisation_id__in=orgs)
            ),
            None,
        )
        if coach_org is None:
            raise Http404("Not found")
        service = (
            services_offered.filter(pk=form.cleaned_data["service"]).first()
            if form.cleaned_data["service"]
            else None
        )
        idea = services.bring_idea(
            organisation=coach_org.organisation,
            coach=coach_org.user,
            service=service,
            title=form.cleaned_data["title"],
            problem=form.cleaned_data["problem"],
            affects=form.cleaned_data["affects"],
            could_try=form.cleaned_data["could_try"],
            by=request.user,
        )
        messages.success(
            request, f"Your idea has gone to {coach_org.user.display_name}. You can see its status here."
        )
        return redirect("coaching:idea", idea_pk=idea.pk)
    return render(request, "coaching/idea_form.jinja", {"form": form, "has_coaches": bool(coaches)})


def _idea_or_404(request: HttpRequest, idea_pk: int) -> Idea:
    idea = (
        access.ideas_for(request.user)
        .select_related("brought_by", "coach", "project", "service", "organisation", "triaged_by")
        .filter(pk=idea_pk)
        .first()
    )
    if idea is None:
        raise Http404("Not found")
    return idea


@login_required
def idea_detail(request: HttpRequest, idea_pk: int) -> HttpResponse:
    idea = _idea_or_404(request, idea_pk)
    may_triage = access.may_triage(request.user, idea) and idea.status != IdeaStatus.PROJECT
    form = None
    if may_triage:
        form = TriageForm(
            request.POST or None,
            initial={"project_title": idea.title},
            block=idea.organisation.block_personal_data,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.triage_idea(
                    idea,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    project_title=form.cleaned_data["project_title"],
                    by=request.user,
                )
            except services.CoachingError as problem:
                form.add_error(None, str(problem))
            else:
                if idea.project is not None:
                    messages.success(
                        request,
                        f"‘{idea.project.title}’ is a project now, led by {idea.brought_by.display_name}.",
                    )
                    return redirect("projects:detail", pk=idea.project.pk)
                messages.success(request, f"The idea is now: {IdeaStatus(idea.status).label.lower()}.")
                return redirect("coaching:idea", idea_pk=idea.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the coach it was brought to, or the QI team, can decide on an idea.")
    project_visible = (
        idea.project is not None and visible_projects(request.user).filter(pk=idea.project.pk).exists()
    )
    return render(
        request,
        "coaching/idea.jinja",
        {
            "idea": idea,
            "line": presenters.idea_lines([idea])[0],
            "form": form,
            "project_visible": project_visible,
        },
    )


# --- coaching sessions ----------------------------------------------------------------------------


def _team_people(project: Project) -> list[tuple[int, str]]:
    members = project.team.filter(left_on__isnull=True).select_related("user")
    people = {m.user_id: f"{m.user.display_name} ({m.get_role_display().lower()})" for m in members}
    return sorted(people.items(), key=lambda pair: pair[1])


@login_required
def project_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    if not access.may_read_sessions(request.user, project, level):
        raise PermissionDenied("Coaching sessions are for the project team, its coaches and the QI team.")
    private = access.may_read_private_notes(request.user, project, level)
    may_coach = access.may_coach(request.user, project, level)
    sessions = project.coaching_sessions.prefetch_related("participants", "actions", "actions__owner")
    return render(
        request,
        "coaching/project_sessions.jinja",
        project_context(
            project,
            level,
            "coaching",
            cards=presenters.session_cards(sessions, private=private, may_edit=may_coach),
            may_coach=may_coach,
            private=private,
        ),
    )


def _record(form: SessionForm, owners: dict[int, Any], *, with_actions: bool) -> services.SessionRecord:
    data = form.cleaned_data
    return services.SessionRecord(
        held_on=data["held_on"],
        kind=data["kind"],
        participants=[owners[pk] for pk in data["participants"] if pk in owners],
        shared_notes=data["shared_notes"],
        private_notes=data["private_notes"],
        next_on=data["next_on"],
        next_time=data["next_time"],
        actions=form.agreed_actions(owners) if with_actions else (),
    )


def _coach_project(request: HttpRequest, pk: int) -> tuple[Project, Level]:
    project, level = project_for(request, pk, Level.EDIT)
    if not access.may_coach(request.user, project, level):
        raise PermissionDenied("Only the project's QI coach or the QI team can log coaching sessions.")
    return project, level


def _owners(project: Project) -> dict[int, Any]:
    return {m.user_id: m.user for m in project.team.filter(left_on__isnull=True).select_related("user")}


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = _coach_project(request, pk)
    people = _team_people(project)
    form = SessionForm(
        request.POST or None,
        people=people,
        initial={"held_on": timezone.localdate(), "kind": "one_to_one"},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        session = services.log_session(
            project, _record(form, _owners(project), with_actions=True), by=request.user
        )
        record_confirmation(form, by=request.user, project=project, instance=session)
        messages.success(
            request,
            "Coaching session saved."
            + (
                " Everyone who took part has been sent the next session's invitation."
                if session.next_on
                else ""
            ),
        )
        return redirect("coaching:project_sessions", pk=project.pk)
    return render(
        request,
        "coaching/session_form.jinja",
        project_context(project, level, "coaching", form=form, session=None),
    )


@login_required
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    project, level = _coach_project(request, pk)
    session = project.coaching_sessions.filter(pk=session_pk).first()
    if session is None:
        raise Http404("Not found")
    initial = {
        "held_on": session.held_on,
        "kind": session.kind,
        "participants": [p.pk for p in session.participants.all()],
        "shared_notes": session.shared_notes,
        "private_notes": session.private_notes,
        "next_on": session.next_on,
        "next_time": session.next_time,
        "version": session.version,
    }
    form = SessionForm(
        request.POST or None,
        people=_team_people(project),
        initial=initial,
        versioned=True,
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.edit_session(
                session,
                _record(form, _owners(project), with_actions=False),
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: project.coaching_sessions.get(pk=session.pk),
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=session)
            messages.success(request, "Coaching session saved.")
            return redirect("coaching:project_sessions", pk=project.pk)
    return render(
        request,
        "coaching/session_form.jinja",
        project_context(project, level, "coaching", form=form, session=session),
    )


# --- sponsor updates ------------------------------------------------------------------------------


def _months(today: dt.date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = [first]
    for _ in range(3):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return [(m.isoformat(), f"{m:%B %Y}") for m in months]


def _sponsored_by(user: Any) -> dict[Any, list[Project]]:
    """The projects this person may report on (those they coach; every one in organisations whose QI team
    they administer), by current sponsor."""
    scope = scope_for(user)
    administered = [o.pk for o in scope.administered_organisations()]
    coached = access.caseload_projects(user, user)
    in_admin = visible_projects(user).filter(organisation_id__in=administered)
    projects = (coached | in_admin).distinct()
    sponsors = (
        scope.filter(TeamMember)
        .filter(project__in=projects, role=TeamRole.SPONSOR, left_on__isnull=True)
        .select_related("user", "project", "project__organisation")
        .order_by("project__title")
    )
    grouped: dict[Any, list[Project]] = {}
    for member in sponsors:
        grouped.setdefault(member.user, []).append(member.project)
    return grouped


@login_required
def updates(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    prepared = (
        scope.filter(SponsorUpdate)
        .filter(prepared_by=cast(Any, request.user))
        .select_related("sponsor", "prepared_by")
    )
    return render(
        request,
        "coaching/updates.jinja",
        {
            "lines": [presenters.update_line(u) for u in prepared],
            "may_prepare": bool(_sponsored_by(request.user)),
        },
    )


@login_required
def update_new(request: HttpRequest) -> HttpResponse:
    grouped = _sponsored_by(request.user)
    if not grouped:
        raise PermissionDenied("You coach no project with a sponsor.")
    by_pk = {sponsor.pk: (sponsor, projects) for sponsor, projects in grouped.items()}
    sponsors = sorted(
        ((pk, f"{s.display_name}: {', '.join(p.title for p in ps)}") for pk, (s, ps) in by_pk.items()),
        key=lambda pair: pair[1],
    )
    months = _months(timezone.localdate())
    form = PrepareUpdateForm(request.POST or None, sponsors=sponsors, months=months)
    if request.method == "POST" and form.is_valid():
        sponsor, projects = by_pk[int(form.cleaned_data["sponsor"])]
        try:
            update = services.draft_sponsor_update(
                organisation=projects[0].organisation,
                sponsor=sponsor,
                month=dt.date.fromisoformat(form.cleaned_data["month"]),
                projects=[p for p in projects if p.organisation_id == projects[0].organisation_id],
                by=request.user,
            )
        except services.CoachingError as problem:
            form.add_error("month", str(problem))
        else:
            messages.success(
                request, "Draft ready: check it, add what you need from the sponsor, then send it."
            )
            return redirect("coaching:update", update_pk=update.pk)
    return render(request, "coaching/update_new.jinja", {"form": form})


def _update_or_404(request: HttpRequest, update_pk: int) -> SponsorUpdate:
    """An update its preparer, its sponsor or the organisation's QI team admins may open."""
    scope = scope_for(request.user)
    update = (
        scope.filter(SponsorUpdate)
        .select_related("sponsor", "prepared_by", "organisation", "sent_by")
        .filter(pk=update_pk)
        .first()
    )
    if update is None:
        raise Http404("Not found")
    readers = {update.prepared_by_id, update.sponsor_id}
    if request.user.pk not in readers and not scope.has_role(update.organisation, Role.QI_TEAM_ADMIN):
        raise Http404("Not found")
    if (
        request.user.pk == update.sponsor_id
        and not update.is_sent
        and request.user.pk != update.prepared_by_id
    ):
        raise Http404("Not found")  # a draft is the coach's until it is sent
    return update


@login_required
def update_detail(request: HttpRequest, update_pk: int) -> HttpResponse:
    update = _update_or_404(request, update_pk)
    editable = not update.is_sent and update.prepared_by_id == request.user.pk
    sections = presenters.update_sections(update)
    form = None
    if editable:
        initial: dict[str, Any] = {"introduction": update.introduction, "needs": update.needs}
        initial |= {f"note_{s.section.pk}": s.note for s in sections}
        form = EditUpdateForm(
            request.POST or None,
            initial=initial,
            sections=[(s.section.pk, s.title) for s in sections],
            block=update.organisation.block_personal_data,
        )
        if request.method == "POST" and form.is_valid():
            services.edit_sponsor_update(
                update,
                introduction=form.cleaned_data["introduction"],
                needs=form.cleaned_data["needs"],
                notes=form.notes(),
                by=request.user,
            )
            messages.success(request, "Update saved. Send it when it is ready.")
            return redirect("coaching:update", update_pk=update.pk)
    elif request.method == "POST":
        raise PermissionDenied("A sent update cannot be changed.")
    return render(
        request,
        "coaching/update.jinja",
        {"update": update, "line": presenters.update_line(update), "sections": sections, "form": form},
    )


@login_required
@require_POST
def update_send(request: HttpRequest, update_pk: int) -> HttpResponse:
    update = _update_or_404(request, update_pk)
    if update.prepared_by_id != request.user.pk:
        raise PermissionDenied("Only the coach who prepared the update sends it.")
    try:
        services.send_sponsor_update(update, by=request.user)
    except services.CoachingError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request, f"Update sent to {update.sponsor.display_name}, and archived on each project."
        )
    return redirect("coaching:update", update_pk=update.pk)


@login_required
def update_pdf(request: HttpRequest, update_pk: int) -> HttpResponse:
    update = _update_or_404(request, update_pk)
    response = HttpResponse(report.update_pdf(update), content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="sponsor-update-{update.month:%Y-%m}.pdf"'
    return response


@login_required
def project_updates(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived copy of every sent sponsor update on the project."""
    project, level = project_for(request, pk, Level.VIEW)
    sections = (
        project.sponsor_updates.filter(update__status="sent")
        .select_related("update", "update__sponsor", "update__prepared_by")
        .order_by("-update__month", "-update__sent_at")
    )
    return render(
        request,
        "coaching/project_updates.jinja",
        project_context(
            project,
            level,
            "sponsor_updates",
            archived=[
                {
                    "section": s,
                    "month": f"{s.update.month:%B %Y}",
                    "sponsor": s.update.sponsor.display_name,
                    "coach": s.update.prepared_by.display_name if s.update.prepared_by else "",
                    "score": report.score_change_text(s.facts),
                }
                for s in sections
            ],
        ),
    )


@login_required
def sponsored(request: HttpRequest) -> HttpResponse:
    """My sponsored projects, with the latest update sent to me on each."""
    user: Any = request.user
    scope = scope_for(user)
    projects = list(
        visible_projects(user)
        .filter(team__user=user, team__role=TeamRole.SPONSOR, team__left_on__isnull=True)
        .distinct()
    )
    received = list(
        scope.filter(SponsorUpdate)
        .filter(sponsor=user, status="sent")
        .select_related("prepared_by", "sponsor")
        .prefetch_related("sections")
    )
    latest: dict[int, Any] = {}
    for update in received:  # newest month first
        for section in update.sections.all():
            latest.setdefault(section.project_id, (update, section))
    rows = []
    for project in projects:
        found = latest.get(project.pk)
        rows.append(
            {
                "project": project,
                "score": project.progress_label,
                "latest": presenters.update_line(found[0]) if found else None,
                "note": found[1].coach_note if found else "",
                "score_text": report.score_change_text(found[1].facts) if found else "",
            }
        )
    return render(
        request,
        "coaching/sponsored.jinja",
        {"rows": rows, "received": [presenters.update_line(u) for u in received]},
    )
