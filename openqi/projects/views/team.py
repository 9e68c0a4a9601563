"""The project team: who is in it in which role, joining and leaving, and inviting by e-mail."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqi.core.plugins import render_panels
from openqi.projects import plugins
from openqi.projects.access import Level, project_for
from openqi.projects.models import TeamRole
from openqi.projects.presenters.nav import project_context
from openqi.projects.services import team as services


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="Any e-mail address works: service-user and carer partners do not need an NHS account.",
        error_messages={
            "required": "Enter an e-mail address.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com.",
        },
    )
    name = forms.CharField(label="Full name", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Role in the team",
        choices=TeamRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role in the team."},
    )


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    members = list(project.team.select_related("user").order_by("left_on", "role", "joined_on"))
    pending = (
        project.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        if level >= Level.ADMIN
        else []
    )
    current = [m for m in members if m.left_on is None]
    return render(
        request,
        "projects/team.jinja",
        project_context(
            project,
            level,
            "team",
            current=current,
            former=[m for m in members if m.left_on is not None],
            pending=pending,
            columns=[(col.heading, col.values(project, current, level)) for col in plugins.member_columns],
            panels=render_panels(plugins.team_panels, project, level),
        ),
    )


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.ADMIN)
    form = TeamInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.invite_to_team(
            project,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
        messages.success(request, outcome)
        return redirect("projects:team", pk=project.pk)
    return render(request, "projects/team_invite.jinja", project_context(project, level, "team", form=form))


@login_required
@require_POST
def public_name(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Consent is personal: only the person themself can show or hide their name on the public page."""
    project, _level = project_for(request, pk, Level.VIEW)
    member = project.team.filter(pk=member_pk, user=cast(Any, request.user), left_on__isnull=True).first()
    if member is None:
        raise Http404("Not found")
    show = request.POST.get("show") == "yes"
    services.set_public_name(member, show=show, by=request.user)
    messages.success(
        request,
        "Your name will show on the project's public page."
        if show
        else "Your name will not show on the project's public page.",
    )
    return redirect("projects:team", pk=project.pk)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    member = project.team.filter(pk=member_pk).select_related("user").first()
    if member is None:
        raise Http404("Not found")
    # People may end their own stint; ending someone else's needs the lead or the QI team.
    if member.user_id != request.user.pk and level < Level.ADMIN:
        raise PermissionDenied("Only the project lead or the QI team can change the team.")
    try:
        services.leave_team(member, by=request.user)
    except services.TeamError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request, f"{member.user.display_name} is no longer {member.get_role_display().lower()}."
        )
    return redirect("projects:team", pk=project.pk)
