"""The project team: who is in it in which role, joining and leaving, and inviting by e-mail."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqi.core import site
from openqi.core.formatting import long_date
from openqi.core.plugins import render_panels
from openqi.projects import plugins
from openqi.projects.access import Level, can_manage_team, project_for
from openqi.projects.forms.handover import SOMEONE_ELSE, HandoverForm
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import PreviousLead, Project, TeamRole
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
        if can_manage_team(request.user, project, level)
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
            role_names=dict(TeamRole.choices),
            manage_team=can_manage_team(request.user, project, level),
            columns=[(col.heading, col.values(project, current, level)) for col in plugins.member_columns],
            panels=render_panels(plugins.team_panels, project, level),
        ),
    )


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = _team_manager(request, pk)
    form = TeamInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.invite_to_team(
            project,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            by=request.user,
            base_url=site.base_url(request),
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
    # People may end their own stint; ending someone else's needs the lead, the coach or the QI team.
    if member.user_id != request.user.pk and not can_manage_team(request.user, project, level):
        raise PermissionDenied("Only the project lead, the QI coach or the QI team can change the team.")
    try:
        services.leave_team(member, by=request.user)
    except services.TeamError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request, f"{member.user.display_name} is no longer {member.get_role_display().lower()}."
        )
    return redirect("projects:team", pk=project.pk)


def _team_manager(request: HttpRequest, pk: int) -> tuple[Project, Level]:
    project, level = project_for(request, pk, Level.VIEW)
    if not can_manage_team(request.user, project, level):
        raise PermissionDenied("Only the project lead, the QI coach or the QI team can change the team.")
    return project, level


@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand over the lead: the form, then a confirmation page (nothing changes until it is confirmed)."""
    project, level = _team_manager(request, pk)
    current = list(project.team.filter(left_on__isnull=True).select_related("user"))
    leads = sorted({(m.user_id, m.user.display_name) for m in current if m.role == TeamRole.LEAD})
    lead_ids = {pk for pk, _name in leads}
    candidates = sorted(
        {(m.user_id, m.user.display_name) for m in current if m.user_id not in lead_ids},
        key=lambda pair: pair[1],
    )
    initial: dict[str, Any] = {"handed_over_on": timezone.localdate(), "previous_lead_becomes": "member"}
    if len(leads) == 1:
        initial["previous_lead"] = leads[0][0]
    form = HandoverForm(
        request.POST or None, initial=initial, leads=leads, candidates=candidates, **guard_kwargs(project)
    )
    context = project_context(project, level, "team", form=form, leads=leads)
    if request.method != "POST" or not form.is_valid():
        return render(request, "projects/team_handover.jinja", context)
    data = form.cleaned_data
    previous = next(m.user for m in current if m.user_id == data["previous_lead"])
    new_lead = _new_lead(project, data)
    if new_lead is None:
        if request.POST.get("confirmed") != "yes":
            return render(
                request, "projects/team_handover_confirm.jinja", {**context, **_summary(data, None)}
            )
        # Someone outside the organisation joins when they accept: the lead changes once they are in.
        outcome = services.invite_to_team(
            project,
            email=data["email"],
            name=data["name"],
            role=TeamRole.MEMBER,
            by=request.user,
            base_url=site.base_url(request),
        )
        messages.success(request, f"{outcome} Hand over the lead to them once they have joined.")
        return redirect("projects:team", pk=project.pk)
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "projects/team_handover_confirm.jinja",
            {**context, **_summary(data, new_lead), "previous": previous},
        )
    try:
        done = services.hand_over_lead(
            project,
            previous=previous,
            new_lead=new_lead,
            on=data["handed_over_on"],
            previous_lead_becomes=data["previous_lead_becomes"],
            note=data["note"],
            by=request.user,
        )
    except services.TeamError as problem:
        form.add_error(None, str(problem))
        return render(request, "projects/team_handover.jinja", context)
    record_confirmation(form, by=request.user, project=project, instance=done)
    messages.success(
        request,
        f"{new_lead.display_name} is now the project lead"
        + (f", with {previous.display_name} as co-lead." if done.co_lead else "."),
    )
    return redirect("projects:team", pk=project.pk)


def _new_lead(project: Project, data: dict[str, Any]) -> Any:
    """The person taking over: a team member, or someone already in the organisation named by e-mail;
    None for someone who must be invited first."""
    if data["new_lead"] != SOMEONE_ELSE:
        found = project.team.filter(user_id=int(data["new_lead"]), left_on__isnull=True).first()
        if found is None:
            raise Http404("Not found")
        return found.user
    return services.organisation_member(project, data["email"])


def _summary(data: dict[str, Any], new_lead: Any) -> dict[str, Any]:
    return {
        "new_lead_name": new_lead.display_name if new_lead is not None else data["email"],
        "invite_first": new_lead is None,
        "when": long_date(data["handed_over_on"]),
        "becomes": PreviousLead(data["previous_lead_becomes"]).label,
        "hidden": {
            name: (value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value)
            for name, value in data.items()
            if value not in (None, "") and name != "confirm_no_personal_data"
        }
        | ({"confirm_no_personal_data": "on"} if data.get("confirm_no_personal_data") else {}),
    }
