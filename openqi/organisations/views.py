"""Organisation administration in the app: people, roles, invitations, directorates and services.
Only QI team admins of the organisation reach these views; everyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqi.core import site, tasks
from openqi.core.concurrency import attempt_edit
from openqi.organisations import services
from openqi.organisations.forms import (
    InvitationForm,
    MemberForm,
    PersonalDataPolicyForm,
    PriorityForm,
    RenameForm,
    UnitNameForm,
)
from openqi.organisations.models import Directorate, Invitation, Membership, Service, StrategicPriority
from openqi.organisations.presenters import InvitationRow, TaskProblemRow, member_rows
from openqi.organisations.scoping import scope_for


@login_required
def admin_home(request: HttpRequest) -> HttpResponse:
    organisations = scope_for(request.user).administered_organisations()
    if not organisations:
        return render(request, "errors/404.jinja", status=404)
    return redirect("organisations:people", slug=organisations[0].slug)


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    members = scope.filter(Membership).filter(organisation=organisation).select_related("user")
    invitations = scope.filter(Invitation).filter(organisation=organisation, accepted_at__isnull=True)
    return render(
        request,
        "organisations/people.jinja",
        {
            "organisation": organisation,
            "members": member_rows(members),
            "invitations": [InvitationRow(i) for i in invitations],
        },
    )


@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = scope_for(request.user).admin_organisation_or_404(slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = services.invite(
            organisation=organisation,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            roles=form.cleaned_data["roles"],
            invited_by=request.user,
            base_url=site.base_url(request),
        )
        messages.success(request, f"Invitation sent to {issued.invitation.email}.")
        return redirect("organisations:people", slug=organisation.slug)
    return render(request, "organisations/invite.jinja", {"organisation": organisation, "form": form})


@require_POST
@login_required
def revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    invitation = scope.get_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        services.revoke_invitation(invitation, by=request.user)
        messages.success(request, f"Invitation for {invitation.email} revoked.")
    except services.InvitationUnavailable as exc:
        messages.error(request, f"That invitation is already {exc.status}.")
    return redirect("organisations:people", slug=organisation.slug)


@login_required
def member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    membership = scope.get_or_404(
        scope.filter(Membership).select_related("user"), pk=pk, organisation=organisation
    )
    initial = {"name": membership.user.name, "roles": membership.roles, "version": membership.version}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.update_member(
                membership,
                roles=form.cleaned_data["roles"],
                name=form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            ),
            reload=lambda: scope.get_or_404(Membership, pk=membership.pk),
        )
        if edit.saved:
            messages.success(request, f"Saved {membership.user.display_name}.")
            return redirect("organisations:people", slug=organisation.slug)
    return render(
        request,
        "organisations/member.jinja",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@require_POST
@login_required
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    membership = scope.get_or_404(
        scope.filter(Membership).select_related("user"), pk=pk, organisation=organisation
    )
    if membership.user_id == request.user.pk:
        messages.error(request, "You cannot remove yourself. Ask another QI team admin.")
    else:
        services.remove_member(membership, by=request.user)
        messages.success(request, f"{membership.user.display_name} no longer belongs to {organisation.name}.")
    return redirect("organisations:people", slug=organisation.slug)


@login_required
def structure(request: HttpRequest, slug: str) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    directorate_form = UnitNameForm(prefix="directorate")
    service_form = UnitNameForm(prefix="service")
    if request.method == "POST":
        if "directorate-name" in request.POST:
            directorate_form = UnitNameForm(request.POST, prefix="directorate")
            if directorate_form.is_valid():
                try:
                    services.add_directorate(
                        organisation, directorate_form.cleaned_data["name"], by=request.user
                    )
                except IntegrityError:
                    directorate_form.add_error("name", "A directorate with this name already exists")
                else:
                    messages.success(request, "Directorate added.")
                    return redirect("organisations:structure", slug=organisation.slug)
        else:
            service_form = UnitNameForm(request.POST, prefix="service")
            directorate = scope.get_or_404(
                Directorate, pk=request.POST.get("directorate"), organisation=organisation
            )
            if service_form.is_valid():
                try:
                    services.add_service(directorate, service_form.cleaned_data["name"], by=request.user)
                except IntegrityError:
                    service_form.add_error(
                        "name", "A service with this name already exists in this directorate"
                    )
                else:
                    messages.success(request, "Service added.")
                    return redirect("organisations:structure", slug=organisation.slug)
    directorates = scope.filter(Directorate).filter(organisation=organisation).prefetch_related("services")
    return render(
        request,
        "organisations/structure.jinja",
        {
            "organisation": organisation,
            "directorates": directorates,
            "directorate_form": directorate_form,
            "service_form": service_form,
        },
    )


@login_required
def rename_unit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    unit: Directorate | Service
    if kind == "directorate":
        unit = scope.get_or_404(Directorate, pk=pk, organisation=organisation)
    elif kind == "service":
        unit = scope.get_or_404(Service, pk=pk, directorate__organisation=organisation)
    else:
        return render(request, "errors/404.jinja", status=404)
    form = RenameForm(request.POST or None, initial={"name": unit.name, "version": unit.version})
    if request.method == "POST" and form.is_valid():
        edit = attempt_edit(
            form,
            lambda: services.rename(
                unit,
                form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
                organisation=organisation,
            ),
            reload=lambda: scope.get_or_404(type(unit), pk=unit.pk),
            refusals={services.NameInUse: "name"},
        )
        if edit.saved:
            messages.success(request, "Renamed.")
            return redirect("organisations:structure", slug=organisation.slug)
    return render(
        request,
        "organisations/rename.jinja",
        {"organisation": organisation, "unit": unit, "kind": kind, "form": form},
    )


@login_required
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisation-wide settings: the personal-data policy, and the strategic priorities projects pick."""
    scope = scope_for(request.user)
    organisation = scope.admin_organisation_or_404(slug)
    policy_form = PersonalDataPolicyForm(
        initial={"policy": "block" if organisation.block_personal_data else "warn"}, prefix="policy"
    )
    priority_form = PriorityForm(prefix="priority")
    if request.method == "POST":
        if "policy-policy" in request.POST:
            policy_form = PersonalDataPolicyForm(request.POST, prefix="policy")
            if policy_form.is_valid():
                services.set_personal_data_policy(
                    organisation, block=policy_form.cleaned_data["policy"] == "block", by=request.user
                )
                messages.success(request, "Personal-data policy saved.")
                return redirect("organisations:settings", slug=organisation.slug)
        elif "retire" in request.POST:
            priority = scope.get_or_404(
                StrategicPriority, pk=request.POST.get("retire"), organisation=organisation
            )
            services.retire_priority(priority, by=request.user)
            messages.success(request, f"{priority.name} is no longer offered to projects.")
            return redirect("organisations:settings", slug=organisation.slug)
        else:
            priority_form = PriorityForm(request.POST, prefix="priority")
            if priority_form.is_valid():
                priority = services.add_priority(
                    organisation, priority_form.cleaned_data["name"], by=request.user
                )
                messages.success(request, f"{priority.name} added.")
                return redirect("organisations:settings", slug=organisation.slug)
    priorities = scope.filter(StrategicPriority).filter(organisation=organisation, is_active=True)
    return render(
        request,
        "organisations/settings.jinja",
        {
            "organisation": organisation,
            "policy_form": policy_form,
            "priority_form": priority_form,
            "priorities": priorities,
        },
    )


@login_required
def failed_tasks(request: HttpRequest, slug: str) -> HttpResponse:
    """E-mails and other background work for the organisation that failed, with a button to try again."""
    organisation = scope_for(request.user).admin_organisation_or_404(slug)
    rows = [TaskProblemRow(problem) for problem in tasks.problems_for(organisation.pk)]
    return render(request, "organisations/failed_tasks.jinja", {"organisation": organisation, "rows": rows})


@require_POST
@login_required
def retry_task(request: HttpRequest, slug: str, task_id: str) -> HttpResponse:
    organisation = scope_for(request.user).admin_organisation_or_404(slug)
    if services.try_task_again(organisation, str(task_id), by=request.user):
        messages.success(request, "It will be tried again in a moment.")
    else:
        messages.error(request, "That task is not waiting for a retry (it may already be running).")
    return redirect("organisations:failed_tasks", slug=organisation.slug)
