"""Learning pages. Every row is reached through the scoping helper (learning.access), so another
organisation's programmes are a 404; what only the QI team or a facilitator may do is a 403."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from openqi.accounts.models import User
from openqi.core.concurrency import attempt_edit
from openqi.core.documents import PDF_MEDIA_TYPE, pdf_from_html
from openqi.core.formatting import long_date
from openqi.learning import access, imports, presenters, reports, services
from openqi.learning.forms import (
    AddPersonForm,
    CohortForm,
    CohortTeamForm,
    EnrolForm,
    FeedbackForm,
    ProgrammeForm,
    RecordImportForm,
    RegisterForm,
    ReportForm,
    SessionForm,
)
from openqi.learning.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Feedback,
    Group,
    Programme,
    RecordImportDraft,
)
from openqi.learning.pathway import next_cohorts
from openqi.organisations.models import Directorate, Membership, Organisation
from openqi.organisations.scoping import scope_for
from openqi.projects.access import visible_projects
from openqi.projects.models import TeamMember, TeamRole


def _guard(organisation: Organisation) -> dict[str, Any]:
    return {"block": organisation.block_personal_data}


def _members(organisation: Organisation, user: Any) -> list[Any]:
    rows = scope_for(user).filter(Membership).filter(organisation=organisation).select_related("user")
    return [m.user for m in rows]


def _directorates(organisation: Organisation, user: Any) -> list[Directorate]:
    return list(scope_for(user).filter(Directorate).filter(organisation=organisation))


# --- the catalogue and programmes -----------------------------------------------------------------------


@login_required
def programmes(request: HttpRequest) -> HttpResponse:
    rows = (
        scope_for(request.user)
        .filter(Programme)
        .select_related("organisation")
        .prefetch_related("next_programmes")
    )
    listed = list(rows)
    open_cohorts = next_cohorts(listed)
    return render(
        request,
        "learning/programmes.jinja",
        {
            "programmes": [(p, open_cohorts.get(p.pk)) for p in listed],
            "qi_team": access.qi_team_organisations(request.user),
        },
    )


@login_required
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.programme_or_404(request.user, pk)
    manage = access.is_qi_team(request.user, item.organisation_id)
    cohorts = item.cohorts.all() if manage else item.cohorts.filter(is_historic=False)
    return render(
        request,
        "learning/programme.jinja",
        {
            "programme": item,
            "cohorts": [(c, presenters.cohort_dates(c)) for c in cohorts],
            "next_programmes": list(item.next_programmes.all()),
            "previous": list(item.previous.all()),
            "manage": manage,
        },
    )


def _programme_form(
    request: HttpRequest, organisation: Organisation, item: Programme | None
) -> ProgrammeForm:
    others = scope_for(request.user).filter(Programme).filter(organisation=organisation)
    if item is not None:
        others = others.exclude(pk=item.pk)
    initial: dict[str, Any] = {"completion_percent": 80, "position": 0, "audience": "both", "kind": "course"}
    if item is not None:
        initial = {
            name: getattr(item, name) for name in Programme.AUDITED_FIELDS if name != "next_programmes"
        }
        initial["position"] = item.position
        initial["next_programmes"] = [str(p.pk) for p in item.next_programmes.all()]
        initial["version"] = item.version
    return ProgrammeForm(
        request.POST or None,
        initial=initial,
        programmes=list(others),
        taken_names=[p.name for p in others],
        versioned=item is not None,
        **_guard(organisation),
    )


@login_required
def programme_add(request: HttpRequest) -> HttpResponse:
    organisation = access.qi_team_organisation_or_404(request.user, request.GET.get("organisation"))
    form = _programme_form(request, organisation, None)
    if request.method == "POST" and form.is_valid():
        made = services.save_programme(Programme(organisation=organisation), form.values(), by=request.user)
        messages.success(request, f"Programme ‘{made.name}’ added.")
        return redirect("learning:programme", pk=made.pk)
    return render(request, "learning/programme_form.jinja", {"form": form, "programme": None, "latest": None})


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.programme_or_404(request.user, pk, manage=True)
    form = _programme_form(request, item.organisation, item)
    attempt = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_edit(
            form,
            lambda: services.save_programme(
                item, form.values(), by=request.user, expected_version=form.cleaned_data["version"]
            ),
            reload=lambda: access.programme_or_404(request.user, item.pk),
        )
        if attempt.saved:
            messages.success(request, f"Programme ‘{item.name}’ saved.")
            return redirect("learning:programme", pk=item.pk)
    return render(
        request,
        "learning/programme_form.jinja",
        {"form": form, "programme": item, "latest": attempt.latest if attempt else None},
    )


# --- cohorts --------------------------------------------------------------------------------------------


@login_required
def cohort_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.programme_or_404(request.user, pk, manage=True)
    form = CohortForm(
        request.POST or None,
        initial={"capacity": 20, "self_enrolment": True},
        people=_members(item.organisation, request.user),
        taken_names=list(item.cohorts.values_list("name", flat=True)),
        **_guard(item.organisation),
    )
    if request.method == "POST" and form.is_valid():
        made = services.save_cohort(Cohort(programme=item), form.values(), by=request.user)
        messages.success(request, f"Cohort ‘{made.name}’ added.")
        return redirect("learning:cohort", pk=made.pk)
    return render(request, "learning/cohort_form.jinja", {"form": form, "programme": item, "cohort": None})


@login_required
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = access.cohort_or_404(request.user, pk, manage=True)
    organisation = cohort.programme.organisation
    initial = {
        name: getattr(cohort, name) for name in ("name", "starts_on", "ends_on", "capacity", "self_enrolment")
    }
    initial["facilitators"] = [str(u.pk) for u in cohort.facilitators.all()]
    initial["version"] = cohort.version
    form = CohortForm(
        request.POST or None,
        initial=initial,
        people=_members(organisation, request.user),
        taken_names=list(cohort.programme.cohorts.exclude(pk=cohort.pk).values_list("name", flat=True)),
        versioned=True,
        **_guard(organisation),
    )
    if request.method == "POST" and form.is_valid():
        attempt = attempt_edit(
            form,
            lambda: services.save_cohort(
                cohort, form.values(), by=request.user, expected_version=form.cleaned_data["version"]
            ),
            reload=lambda: access.cohort_or_404(request.user, cohort.pk),
        )
        if attempt.saved:
            messages.success(request, f"Cohort ‘{cohort.name}’ saved.")
            return redirect("learning:cohort", pk=cohort.pk)
    return render(
        request, "learning/cohort_form.jinja", {"form": form, "programme": cohort.programme, "cohort": cohort}
    )


@login_required
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.cohort_or_404(request.user, pk)
    manage = access.is_qi_team(request.user, item.programme.organisation_id)
    sessions = list(item.sessions.prefetch_related("facilitators"))
    facilitator = access.runs_cohort(request.user, item)
    mine = item.enrolments.filter(user=cast(Any, request.user)).first()
    enrolments = list(item.enrolments.select_related("user", "directorate")) if facilitator else []
    return render(
        request,
        "learning/cohort.jinja",
        {
            "cohort": item,
            "programme": item.programme,
            "dates": presenters.cohort_dates(item),
            "sessions": [(s, presenters.when(s)) for s in sessions],
            "mine": mine,
            "enrolments": enrolments,
            "teams": list(item.teams.select_related("project")),
            "manage": manage,
            "facilitator": facilitator,
            "places_taken": services.places_taken(item),
            "may_ask": item.is_open()
            and (mine is None or mine.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DECLINED)),
        },
    )


@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.cohort_or_404(request.user, pk)
    organisation = item.programme.organisation
    membership = scope_for(request.user).membership(organisation)
    partner = (
        bool(membership and membership.is_guest)
        or scope_for(request.user)
        .filter(TeamMember)
        .filter(user=cast(Any, request.user), role=TeamRole.PARTNER, left_on__isnull=True)
        .exists()
    )
    form = EnrolForm(
        request.POST or None,
        initial={"group": Group.PARTNER if partner else Group.STAFF},
        directorates=_directorates(organisation, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_place(
                item,
                user=request.user,
                group=form.cleaned_data["group"],
                directorate=form.chosen_directorate,
                by=request.user,
            )
        except services.LearningError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"You have asked to join {item.short_name}. The QI team will let you know."
            )
            return redirect("learning:cohort", pk=item.pk)
    return render(
        request,
        "learning/enrol.jinja",
        {
            "form": form,
            "cohort": item,
            "full": services.is_full(item),
            "dates": presenters.cohort_dates(item),
        },
    )


@login_required
def enrolment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.cohort_or_404(request.user, pk, manage=True)
    organisation = item.programme.organisation
    form = AddPersonForm(
        request.POST or None,
        initial={"group": Group.STAFF},
        people=_members(organisation, request.user),
        directorates=_directorates(organisation, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(
                item,
                user=form.chosen_person,
                group=form.cleaned_data["group"],
                directorate=form.chosen_directorate,
                by=request.user,
            )
        except services.LearningError as refusal:
            form.add_error("person", str(refusal))
        else:
            messages.success(
                request, f"{form.chosen_person.display_name}: {enrolment.get_status_display().lower()}."
            )
            return redirect("learning:cohort", pk=item.pk)
    return render(request, "learning/enrolment_add.jinja", {"form": form, "cohort": item})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, decline or withdraw an enrolment (the QI team); a person may withdraw their own."""
    enrolment = access.enrolment_or_404(request.user, pk)
    action = request.POST.get("action", "")
    own = enrolment.user_id == request.user.pk
    if not access.is_qi_team(request.user, enrolment.cohort.programme.organisation_id) and not (
        own and action == "withdraw"
    ):
        raise PermissionDenied("Only the QI team can decide on places.")
    try:
        if action == "approve":
            services.approve(enrolment, by=request.user)
        elif action in ("decline", "withdraw"):
            services.set_status(
                enrolment, "declined" if action == "decline" else "withdrawn", by=request.user
            )
        else:
            raise services.LearningError("Choose approve, decline or withdraw.")
    except services.LearningError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{enrolment.user.display_name}: {enrolment.get_status_display().lower()}.")
    return redirect("learning:cohort", pk=enrolment.cohort_id)


@login_required
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.cohort_or_404(request.user, pk, manage=True)
    organisation = item.programme.organisation
    projects = list(visible_projects(request.user).filter(organisation=organisation).only("pk", "title"))
    form = CohortTeamForm(request.POST or None, projects=projects, **_guard(organisation))
    if request.method == "POST" and form.is_valid():
        services.add_team(item, name=form.cleaned_data["name"], project=form.chosen_project, by=request.user)
        messages.success(request, f"Team ‘{form.cleaned_data['name']}’ added.")
        return redirect("learning:cohort", pk=item.pk)
    return render(request, "learning/team_add.jinja", {"form": form, "cohort": item})


# --- sessions -------------------------------------------------------------------------------------------


@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.cohort_or_404(request.user, pk, manage=True)
    organisation = item.programme.organisation
    form = SessionForm(
        request.POST or None, people=_members(organisation, request.user), **_guard(organisation)
    )
    if request.method == "POST" and form.is_valid():
        session = services.add_session(item, form.values(), by=request.user)
        messages.success(request, f"Session ‘{session.title}’ added.")
        return redirect("learning:cohort", pk=item.pk)
    return render(request, "learning/session_add.jinja", {"form": form, "cohort": item})


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_or_404(request.user, pk, run=True)
    enrolled = list(
        session.cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("user")
        .order_by("user__name")
    )
    came = [str(a.enrolment_id) for a in session.attendance.filter(present=True)]
    form = RegisterForm(request.POST or None, initial={"present": came}, enrolments=enrolled)
    if request.method == "POST" and form.is_valid():
        completed = services.take_register(session, form.present_ids, by=request.user)
        text = f"Register saved: {len(form.present_ids)} of {len(enrolled)} came."
        if completed:
            text += " Completed the programme: " + ", ".join(e.user.display_name for e in completed) + "."
        messages.success(request, text)
        return redirect("learning:register", pk=session.pk)
    return render(
        request,
        "learning/register.jinja",
        {
            "form": form,
            "session": session,
            "cohort": session.cohort,
            "when": presenters.when(session),
            "enrolled": enrolled,
        },
    )


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_or_404(request.user, pk)
    enrolment = session.cohort.enrolments.filter(
        user=cast(Any, request.user), status=EnrolmentStatus.ENROLLED
    ).first()
    if enrolment is None:
        raise PermissionDenied("Only people enrolled on this cohort can give feedback on its sessions.")
    organisation = session.cohort.programme.organisation
    form = FeedbackForm(request.POST or None, **_guard(organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.give_feedback(
            session,
            enrolment,
            services.FeedbackAnswers(
                useful=data["useful"] == "yes",
                rating=int(data["rating"]),
                usefulness=int(data["usefulness"]),
                comment=data["comment"],
            ),
            by=request.user,
        )
        messages.success(request, "Thank you: your feedback has been saved.")
        return redirect("learning:my_record")
    return render(
        request,
        "learning/feedback.jinja",
        {"form": form, "session": session, "when": presenters.when(session)},
    )


def _summary_page(request: HttpRequest, title: str, caption: str, rows: Any, back: str) -> HttpResponse:
    return render(
        request,
        "learning/feedback_summary.jinja",
        {"title": title, "caption": caption, "summary": reports.summarise(rows), "back": back},
    )


@login_required
def session_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_or_404(request.user, pk, run=True)
    return _summary_page(
        request,
        f"Feedback: {session.title}",
        f"{session.cohort.short_name}, {presenters.when(session)}",
        session.feedback.all(),
        reverse("learning:cohort", kwargs={"pk": session.cohort_id}),
    )


@login_required
def cohort_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.cohort_or_404(request.user, pk)
    if not access.runs_cohort(request.user, item):
        raise PermissionDenied("Only the cohort's facilitators and the QI team read its feedback.")
    rows = scope_for(request.user).filter(Feedback).filter(session__cohort=item)
    return _summary_page(
        request,
        f"Feedback: {item.short_name}",
        "Every session of the cohort",
        rows,
        reverse("learning:cohort", kwargs={"pk": item.pk}),
    )


@login_required
def programme_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.programme_or_404(request.user, pk, manage=True)
    rows = scope_for(request.user).filter(Feedback).filter(session__cohort__programme=item)
    return _summary_page(
        request,
        f"Feedback: {item.name}",
        "Every session of every cohort",
        rows,
        reverse("learning:programme", kwargs={"pk": item.pk}),
    )


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access.enrolment_or_404(request.user, pk)
    organisation = enrolment.cohort.programme.organisation
    if enrolment.user_id != request.user.pk and not access.is_qi_team(request.user, organisation):
        raise PermissionDenied("A certificate is for the person who earned it and the QI team.")
    if enrolment.completed_on is None:
        raise Http404("Not completed")
    html = render_to_string(
        "learning/certificate.jinja",
        {
            "enrolment": enrolment,
            "programme": enrolment.cohort.programme,
            "completed": long_date(enrolment.completed_on),
        },
        request=request,
    )
    response = HttpResponse(pdf_from_html(html), content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="certificate-{enrolment.pk}.pdf"'
    return response


# --- records --------------------------------------------------------------------------------------------


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    return person_record(request, cast(int, request.user.pk))


@login_required
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("Not found")
    organisation = access.record_organisation_or_404(request.user, person)
    record = presenters.learning_record(person, organisation)
    own = person.pk == request.user.pk
    return render(
        request,
        "learning/record.jinja",
        {
            "record": record,
            "own": own,
            "may_download": own or access.is_qi_team(request.user, organisation),
            "qi_team": access.qi_team_organisations(request.user),
        },
    )


# --- reports and import ---------------------------------------------------------------------------------


@login_required
def report(request: HttpRequest) -> HttpResponse:
    organisation = access.qi_team_organisation_or_404(request.user, request.GET.get("organisation"))
    years = sorted(
        {
            d.year
            for d in scope_for(request.user)
            .filter(Enrolment)
            .filter(cohort__programme__organisation=organisation, completed_on__isnull=False)
            .dates("completed_on", "year")
        },
        reverse=True,
    )
    form = ReportForm(request.GET or None, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    since, until = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (None, None)
    return render(
        request,
        "learning/report.jinja",
        {
            "organisation": organisation,
            "form": form,
            "year": year,
            "counts": reports.trained_counts(organisation, since=since, until=until),
            "rows": reports.trained_rows(organisation, since=since, until=until),
            "coaches": reports.coach_counts(organisation),
            "teams": reports.team_rows(organisation),
        },
    )


@login_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    organisation = access.qi_team_organisation_or_404(request.user, request.GET.get("organisation"))
    response = HttpResponse(
        reports.trained_csv(reports.trained_rows(organisation)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="people-trained-{organisation.slug}.csv"'
    return response


@login_required
def import_records(request: HttpRequest) -> HttpResponse:
    organisation = access.qi_team_organisation_or_404(request.user, request.GET.get("organisation"))
    form = RecordImportForm(request.POST or None, request.FILES or None, **_guard(organisation))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        draft = imports.stage(organisation, filename=upload.name, content=upload.read(), by=request.user)
        return redirect("learning:import_preview", token=draft.token)
    return render(request, "learning/import.jinja", {"form": form, "organisation": organisation})


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    scope = scope_for(request.user)
    draft = scope.get_or_404(
        scope.filter(RecordImportDraft).select_related("organisation"), token=token, created_by=request.user
    )
    if not access.is_qi_team(request.user, draft.organisation):
        raise Http404("Not found")
    if draft.is_expired:
        draft.delete()
        messages.error(request, "That upload has expired. Upload the file again.")
        return redirect("learning:import")
    if request.method == "POST":
        try:
            count = imports.confirm(draft, by=request.user)
        except imports.ImportRefused:
            messages.error(request, "The file no longer imports cleanly. Check the preview again.")
            return redirect("learning:import_preview", token=token)
        messages.success(request, f"Imported {count} training records from {draft.filename}.")
        return redirect("learning:report")
    preview = imports.preview_records(draft.organisation, draft.filename, bytes(draft.content))
    return render(
        request, "learning/import_preview.jinja", {"draft": draft, "preview": preview, "long_date": long_date}
    )
