"""Meeting, action, calendar and notification pages. Every project page loads the project with
access.project_for and its meetings, papers and actions through that project (presenters.*_or_404), so
nothing outside the person's projects can be reached by changing a number in the URL."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openqi.core.concurrency import attempt_edit
from openqi.core.params import count_param
from openqi.meetings import calendar, forms, presenters
from openqi.meetings.models import Meeting
from openqi.meetings.services import actions as action_services
from openqi.meetings.services import feeds, notify
from openqi.meetings.services import meetings as services
from openqi.projects.access import Level, project_for
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project


def _base_url(request: HttpRequest) -> str:
    """The address serving this request, for links in e-mails and calendars (not a fixed setting, so an
    invitation sent from a demo on another port links back to it)."""
    return request.build_absolute_uri("/").rstrip("/")


def _posted(request: HttpRequest) -> Any:
    """The form's data on a POST, even an empty one (a form of unticked boxes still gets its errors)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return presenters.meeting_href(meeting) + (f"#{anchor}" if anchor else "")


def _download(file: Any, name: str, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Not found") from exc
    # As story attachments: always a download, with the type checked on upload, never shown as a page.
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- A project's meetings ---------------------------------------------------------------------------


@login_required
def project_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    past = request.GET.get("show") == "past"
    page = presenters.meetings_page(project, past=past, page=count_param(request.GET.get("page")) or 1)
    return render(
        request,
        "meetings/project_meetings.jinja",
        presenters.page_context(project, level, listed=page, past=past, can_edit=level >= Level.EDIT),
    )


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    form = forms.ScheduleForm(
        _posted(request),
        _files(request),
        project=project,
        initial={"recurrence": "none"},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                project,
                form.details(),
                repeat=form.repeat(),
                invitees=list(form.cleaned_data["invitees"]),
                by=request.user,
                base_url=_base_url(request),
            )
        except services.MeetingError as problem:
            form.add_error(None, str(problem))
        else:
            # The invitation links to the meeting's page and its papers: no second e-mail about them.
            services.add_papers(
                meeting, form.cleaned_data.get("papers") or [], by=request.user, tell_people=False
            )
            record_confirmation(form, by=request.user, project=project, instance=meeting)
            invited = len(form.cleaned_data["invitees"])
            messages.success(
                request,
                f"Meeting ‘{meeting.title}’ scheduled. Invitations are on their way to {invited} "
                f"{'person' if invited == 1 else 'people'}.",
            )
            return redirect(_meeting_url(meeting))
    return render(request, "meetings/schedule.jinja", presenters.page_context(project, level, form=form))


def _meeting(request: HttpRequest, pk: int, meeting_pk: int, need: Level) -> tuple[Project, Level, Meeting]:
    project, level = project_for(request, pk, need)
    return project, level, presenters.meeting_or_404(request.user, project, meeting_pk)


@login_required
def detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.VIEW)
    return render(
        request,
        "meetings/detail.jinja",
        presenters.page_context(
            project,
            level,
            meeting=meeting,
            when=presenters.when(meeting),
            series=meeting.series or (meeting if meeting.recurrence_id else None),
            papers=list(meeting.papers.all()),
            attendees=presenters.attendees(meeting),
            actions=[presenters.ActionRow.of(a) for a in meeting.actions.select_related("owner", "project")],
            can_edit=level >= Level.EDIT,
        ),
    )


@login_required
def edit(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    if meeting.is_cancelled:
        messages.info(request, "This meeting has been cancelled: it cannot be changed.")
        return redirect(_meeting_url(meeting))
    form = forms.MeetingEditForm(
        _posted(request), initial=forms.meeting_initial(meeting), **guard_kwargs(project)
    )
    if request.method == "POST" and form.is_valid():
        change = attempt_edit(
            form,
            lambda: services.edit_meeting(
                meeting,
                form.details(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
                base_url=_base_url(request),
                later_too=form.cleaned_data["later_too"],
            ),
            reload=lambda: presenters.meeting_or_404(request.user, project, meeting_pk),
            refusals={services.MeetingError: None},
        )
        if change.saved:
            record_confirmation(form, by=request.user, project=project, instance=meeting)
            messages.success(
                request, f"Meeting ‘{meeting.title}’ saved. Everyone invited has been sent the change."
            )
            return redirect(_meeting_url(meeting))
    return render(
        request, "meetings/edit.jinja", presenters.page_context(project, level, form=form, meeting=meeting)
    )


@login_required
def cancel(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    if meeting.is_cancelled:
        messages.info(request, "This meeting is already cancelled.")
        return redirect(_meeting_url(meeting))
    form = forms.CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        cancelled = services.cancel_meeting(
            meeting,
            by=request.user,
            base_url=_base_url(request),
            whole_series=form.cleaned_data["whole_series"],
        )
        what = f"{len(cancelled)} meetings" if len(cancelled) > 1 else f"Meeting ‘{meeting.title}’"
        messages.success(request, f"{what} cancelled. Everyone invited has been told.")
        return redirect(reverse("meetings:project_meetings", kwargs={"pk": project.pk}))
    return render(
        request,
        "meetings/cancel.jinja",
        presenters.page_context(project, level, form=form, meeting=meeting, when=presenters.when(meeting)),
    )


@login_required
def minutes(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    form = forms.MinutesForm(
        _posted(request),
        initial={"minutes": meeting.minutes, "version": meeting.version},
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        change = attempt_edit(
            form,
            lambda: services.record_minutes(
                meeting,
                form.cleaned_data["minutes"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: presenters.meeting_or_404(request.user, project, meeting_pk),
        )
        if change.saved:
            record_confirmation(form, by=request.user, project=project, instance=meeting)
            messages.success(request, "Minutes saved.")
            return redirect(_meeting_url(meeting, "minutes"))
        if change.latest is not None:
            meeting = change.latest
    return render(
        request,
        "meetings/minutes.jinja",
        presenters.page_context(project, level, form=form, meeting=meeting, when=presenters.when(meeting)),
    )


@login_required
def invite(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    if meeting.is_cancelled:
        messages.info(request, "This meeting has been cancelled: nobody can be invited to it.")
        return redirect(_meeting_url(meeting))
    invited = list(meeting.attendance.values_list("person_id", flat=True))
    form = forms.InviteForm(_posted(request), project=project, invited=invited)
    if request.method == "POST" and form.is_valid():
        new = services.invite_people(
            meeting, list(form.cleaned_data["people"]), by=request.user, base_url=_base_url(request)
        )
        names = ", ".join(p.display_name for p in new)
        messages.success(
            request, f"Invitations are on their way to {names}." if new else "Nobody new to invite."
        )
        return redirect(_meeting_url(meeting, "attendance"))
    return render(
        request,
        "meetings/invite.jinja",
        presenters.page_context(project, level, form=form, meeting=meeting, when=presenters.when(meeting)),
    )


@login_required
def attendance(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    rows = list(meeting.attendance.select_related("person").order_by("person__name", "id"))
    form = forms.AttendanceForm(_posted(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        services.record_attendance(meeting, form.statuses(), by=request.user)
        messages.success(request, "Attendance saved.")
        return redirect(_meeting_url(meeting, "attendance"))
    return render(
        request,
        "meetings/attendance.jinja",
        presenters.page_context(project, level, form=form, meeting=meeting, when=presenters.when(meeting)),
    )


@login_required
def papers(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    existing = list(meeting.papers.all())
    form = forms.PapersForm(_posted(request), _files(request), already=len(existing), **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        added = services.add_papers(meeting, form.cleaned_data["papers"], by=request.user)
        record_confirmation(form, by=request.user, project=project, instance=meeting)
        messages.success(request, f"{len(added)} paper{'s' if len(added) != 1 else ''} added.")
        return redirect(_meeting_url(meeting, "papers"))
    return render(
        request,
        "meetings/papers.jinja",
        presenters.page_context(
            project, level, form=form, meeting=meeting, when=presenters.when(meeting), papers=existing
        ),
    )


@login_required
@require_POST
def paper_remove(request: HttpRequest, pk: int, meeting_pk: int, paper_pk: int) -> HttpResponse:
    _project, _level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    paper = presenters.paper_or_404(request.user, meeting, paper_pk)
    name = paper.original_name
    services.remove_paper(paper, by=request.user)
    messages.success(request, f"Paper ‘{name}’ removed.")
    return redirect(_meeting_url(meeting, "papers"))


@login_required
def paper(request: HttpRequest, pk: int, meeting_pk: int, paper_pk: int) -> FileResponse:
    _project, _level, meeting = _meeting(request, pk, meeting_pk, Level.VIEW)
    found = presenters.paper_or_404(request.user, meeting, paper_pk)
    return _download(found.file, found.original_name, found.content_type)


@login_required
def ics(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The meeting (its whole series) as an .ics file to open in a calendar."""
    _project, _level, meeting = _meeting(request, pk, meeting_pk, Level.VIEW)
    master = meeting.series or meeting
    events = services.series_events(master, _base_url(request))
    response = HttpResponse(
        calendar.feed_ics(events, name=master.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{master.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Actions ------------------------------------------------------------------------------------------


@login_required
def project_actions(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    return render(
        request,
        "meetings/project_actions.jinja",
        presenters.page_context(
            project,
            level,
            open_actions=presenters.project_actions(project, done=False),
            done_actions=presenters.project_actions(project, done=True),
            can_edit=level >= Level.EDIT,
        ),
    )


def _add_action(
    request: HttpRequest, project: Project, level: Level, meeting: Meeting | None
) -> HttpResponse:
    form = forms.ActionForm(_posted(request), project=project, **guard_kwargs(project))
    if request.method == "POST" and form.is_valid():
        action = action_services.add_action(
            project,
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            meeting=meeting,
            by=request.user,
        )
        record_confirmation(form, by=request.user, project=project, instance=action)
        messages.success(request, "Action added.")
        if meeting is not None:
            return redirect(_meeting_url(meeting, "actions"))
        return redirect(reverse("meetings:project_actions", kwargs={"pk": project.pk}))
    return render(
        request,
        "meetings/action_form.jinja",
        presenters.page_context(project, level, form=form, meeting=meeting, action=None),
    )


@login_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    return _add_action(request, project, level, None)


@login_required
def meeting_action_add(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    project, level, meeting = _meeting(request, pk, meeting_pk, Level.EDIT)
    return _add_action(request, project, level, meeting)


@login_required
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    action = presenters.action_or_404(request.user, project, action_pk)
    form = forms.ActionEditForm(
        _posted(request),
        project=project,
        initial={
            "description": action.description,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "version": action.version,
        },
        **guard_kwargs(project),
    )
    if request.method == "POST" and form.is_valid():
        change = attempt_edit(
            form,
            lambda: action_services.edit_action(
                action,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: presenters.action_or_404(request.user, project, action_pk),
        )
        if change.saved:
            record_confirmation(form, by=request.user, project=project, instance=action)
            messages.success(request, "Action saved.")
            return redirect(reverse("meetings:project_actions", kwargs={"pk": project.pk}))
    return render(
        request,
        "meetings/action_form.jinja",
        presenters.page_context(project, level, form=form, meeting=action.meeting, action=action),
    )


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    action = presenters.action_or_404(request.user, project, action_pk)
    if not action_services.may_tick(action, request.user, level):
        raise PermissionDenied("Only the project team or the action's owner can mark it done.")
    form = forms.ActionDoneForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    action_services.set_done(action, done=done, by=request.user)
    messages.success(request, "Action marked as done." if done else "Action marked as not done.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=False
    ):
        return redirect(back)
    return redirect(reverse("meetings:project_actions", kwargs={"pk": project.pk}))


# --- The person's own pages ----------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/mine.jinja",
        {"meetings": presenters.my_meetings(request.user), "actions": presenters.my_actions(request.user)},
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/my_actions.jinja", {"actions": presenters.my_actions(request.user)})


@login_required
def subscription(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "start":
            feeds.start_feed(request.user, by=request.user)
            messages.success(request, "Your calendar subscription address is ready.")
        elif what == "replace":
            feeds.replace_feed(request.user, by=request.user)
            messages.success(request, "You have a new address. The old one no longer works.")
        elif what == "stop":
            feeds.stop_feed(request.user, by=request.user)
            messages.success(
                request, "Your calendar subscription is switched off. The old address no longer works."
            )
        return redirect(reverse("meetings:subscription"))
    feed = feeds.feed_of(request.user)
    feed_url = _base_url(request) + reverse("meetings:feed", kwargs={"token": feed.token}) if feed else ""
    return render(
        request,
        "meetings/subscription.jinja",
        {
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        },
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings for their calendar program, which cannot sign in: the secret URL is the key."""
    person = feeds.person_for_token(token)
    if person is None:
        raise Http404("Not found")
    response = HttpResponse(
        feeds.feed_ics(person, _base_url(request)), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = forms.PreferencesForm(_posted(request), initial={"frequency": notify.frequency_of(request.user)})
    if request.method == "POST" and form.is_valid():
        notify.set_frequency(request.user, form.cleaned_data["frequency"])
        messages.success(request, "Your e-mail settings are saved.")
        return redirect(reverse("meetings:preferences"))
    return render(request, "meetings/preferences.jinja", {"form": form})
