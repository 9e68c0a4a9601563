"""Involvement pages: a project's involvement (reflections and the person's own payment records), logging
time, claims and their decisions, the finance export and claim form, payment bands, the onboarding
checklist and the co-production reflection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from openqi.accounts.models import User
from openqi.core.concurrency import attempt_edit
from openqi.core.documents import PDF_MEDIA_TYPE, pdf_from_html
from openqi.involvement import access, exports, presenters, services
from openqi.involvement.forms import (
    DecisionForm,
    InvolvementForm,
    OnboardingForm,
    PaymentSettingsForm,
    ReflectionForm,
    ResubmitForm,
)
from openqi.involvement.models import ClaimStatus, CoproductionReflection, OnboardingItem, ReflectionStage
from openqi.organisations.scoping import scope_for
from openqi.projects.access import Level, project_for
from openqi.projects.guard import guard_kwargs, record_confirmation
from openqi.projects.models import Project, TeamRole
from openqi.projects.presenters.nav import project_context

NO_BANK_DETAILS = (
    "OpenQI does not store bank details. Bank details go on your organisation's own payment form, "
    "which the team's administrator sends to finance."
)


@login_required
def project_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.VIEW)
    entries = presenters.with_relations(access.payment_records_for(request.user).filter(project=project))
    cards = presenters.reflections_of(project)
    return render(
        request,
        "involvement/project.jinja",
        project_context(
            project,
            level,
            "involvement",
            rows=presenters.claim_rows(entries[:200]),
            reflections=cards,
            stages=presenters.stage_links(project, cards),
            can_log=access.is_partner(request.user, project) or access.may_log_for_others(level),
            can_reflect=level >= Level.EDIT,
            no_bank_details=NO_BANK_DETAILS,
        ),
    )


def _partners(project: Project) -> Any:
    return User.objects.filter(
        project_roles__project=project,
        project_roles__role=TeamRole.PARTNER,
        project_roles__left_on__isnull=True,
    ).distinct()


def _meetings(project: Project) -> Any:
    """The project's meetings up to today, latest first, for linking time to one."""
    today = timezone.localdate()
    return project.meetings.filter(
        start__date__lte=today, start__date__gte=today - dt.timedelta(days=62), cancelled_at__isnull=True
    ).order_by("-start")


@login_required
def log(request: HttpRequest, pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    access.check_may_log(request.user, project, level)
    for_others = access.may_log_for_others(level)
    partners = _partners(project) if for_others else None
    if partners is not None and not partners.exists():
        raise PermissionDenied("This project has no partner in its team yet.")
    form = InvolvementForm(
        request.POST or None,
        initial={"occurred_on": timezone.localdate(), "claim": True},
        partners=partners,
        meetings=_meetings(project),
        warned=bool(request.POST.get("warned")),
        **guard_kwargs(project),
    )
    rates = services.payment_settings_for(project.organisation)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partner = data["partner"] if for_others else request.user
        proposed = services.propose(
            project,
            partner=partner,
            occurred_on=data["occurred_on"],
            minutes=data["minutes"],
            claim=data["claim"],
        )
        if proposed.warnings and not data.get("confirm_over_limit"):
            # Warned before the claim is made: the form comes back with the warning and a box to tick.
            warnings = proposed.warnings
            form.ask_to_confirm_over_limit()
        else:
            entry = services.log_involvement(
                project,
                partner=partner,
                occurred_on=data["occurred_on"],
                activity=data["activity"],
                minutes=data["minutes"],
                note=data["note"],
                claim=data["claim"],
                meeting=data.get("meeting"),
                by=request.user,
            )
            record_confirmation(form, by=request.user, project=project, instance=entry)
            if entry.is_claim:
                messages.success(
                    request,
                    f"{services.hours_text(entry.minutes)} logged. "
                    f"The claim for {presenters.money(entry.amount)} "
                    f"has gone to {presenters.ClaimRow(entry).approver} for approval.",
                )
            else:
                messages.success(
                    request, f"{services.hours_text(entry.minutes)} logged (no payment claimed)."
                )
            return redirect("involvement:project", pk=project.pk)
    return render(
        request,
        "involvement/log.jinja",
        project_context(
            project,
            level,
            "involvement",
            form=form,
            warnings=warnings,
            rates=rates,
            hours_text=services.hours_text,
            money=presenters.money,
            no_bank_details=NO_BANK_DETAILS,
        ),
    )


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """The person's claims, and those waiting for their decision."""
    visible = presenters.with_relations(access.payment_records_for(request.user))
    me = request.user.pk
    mine = visible.filter(partner_id=me)
    to_decide = [
        row
        for row in presenters.claim_rows(
            visible.filter(status=ClaimStatus.PENDING).exclude(partner_id=me)[:200]
        )
        if access.may_decide(request.user, row.entry)
    ]
    others = visible.exclude(partner_id=me).exclude(status__in=[ClaimStatus.PENDING, ClaimStatus.NOT_CLAIMED])
    return render(
        request,
        "involvement/claims.jinja",
        {
            "mine": presenters.claim_rows(mine[:200]),
            "to_decide": to_decide,
            "decided": presenters.claim_rows(others[:200]),
            "no_bank_details": NO_BANK_DETAILS,
            "administers": scope_for(request.user).administered_organisations(),
        },
    )


@login_required
def claim(request: HttpRequest, claim_pk: int) -> HttpResponse:
    """One claim: the partner, the approver and the QI team admin see it; the approver decides it here."""
    entry = access.entry_or_404(request.user, claim_pk)
    may_decide = entry.status == ClaimStatus.PENDING and access.may_decide(request.user, entry)
    form = DecisionForm(request.POST or None, **guard_kwargs(entry.project)) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("You cannot decide this claim.")
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.decide(entry, approve=approve, query=form.cleaned_data["query"], by=request.user)
            except services.ClaimError as problem:
                form.add_error(None, str(problem))
            else:
                record_confirmation(form, by=request.user, project=entry.project, instance=entry)
                messages.success(
                    request,
                    "Claim approved." if approve else "Claim queried: the partner will see your question.",
                )
                return redirect("involvement:claims")
    return render(
        request,
        "involvement/claim.jinja",
        {
            "row": presenters.ClaimRow(entry),
            "entry": entry,
            "form": form,
            "can_resubmit": entry.status == ClaimStatus.QUERIED and entry.partner_id == request.user.pk,
            "no_bank_details": NO_BANK_DETAILS,
        },
    )


@login_required
def resubmit(request: HttpRequest, claim_pk: int) -> HttpResponse:
    entry = access.entry_or_404(request.user, claim_pk)
    if entry.partner_id != request.user.pk or entry.status != ClaimStatus.QUERIED:
        raise PermissionDenied("Only the partner can change a queried claim.")
    form = ResubmitForm(
        request.POST or None,
        initial={
            "occurred_on": entry.occurred_on,
            "activity": entry.activity,
            "minutes": f"{entry.minutes / 60:.2f}".rstrip("0").rstrip("."),
            "note": entry.note,
            "version": entry.version,
        },
        **guard_kwargs(entry.project),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        edit = attempt_edit(
            form,
            lambda: services.resubmit(
                entry,
                occurred_on=data["occurred_on"],
                activity=data["activity"],
                minutes=data["minutes"],
                note=data["note"],
                expected_version=data["version"],
                by=request.user,
            ),
            reload=lambda: access.entry_or_404(request.user, claim_pk),
            refusals={services.ClaimError: None},
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=entry.project, instance=entry)
            messages.success(request, "Claim sent again for approval.")
            return redirect("involvement:claim", claim_pk=entry.pk)
    return render(
        request,
        "involvement/resubmit.jinja",
        {"row": presenters.ClaimRow(entry), "entry": entry, "form": form},
    )


@require_GET
@login_required
def claim_form_pdf(request: HttpRequest, claim_pk: int) -> HttpResponse:
    """A printable claim form: the partner signs it and adds bank details on paper, not in OpenQI."""
    entry = access.entry_or_404(request.user, claim_pk)
    if not entry.is_claim:
        raise Http404("Not found")
    html = render_to_string(
        "involvement/claim_form_pdf.html",
        {
            "row": presenters.ClaimRow(entry),
            "entry": entry,
            "organisation": entry.project.organisation,
            "printed": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf_from_html(html), content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="involvement-claim-{entry.pk}.pdf"'
    return response


@require_GET
@login_required
def finance_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Approved claims the person may see, for finance: CSV or Excel."""
    if fmt not in exports.FORMATS:
        raise Http404("Not found")
    entries = presenters.with_relations(
        access.payment_records_for(request.user).filter(status=ClaimStatus.APPROVED)
    ).order_by("occurred_on", "id")
    body, content_type = exports.FORMATS[fmt](entries)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="approved-involvement-claims-{timezone.localdate()}.{fmt}"'
    )
    return response


@login_required
def payment_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = scope_for(request.user).admin_organisation_or_404(slug)
    rates = services.payment_settings_for(organisation)
    form = PaymentSettingsForm(
        request.POST or None,
        initial={
            "version": rates.version,
            "long_session_minutes": rates.long_session_minutes / 60,
            "short_session_amount": rates.short_session_amount,
            "long_session_amount": rates.long_session_amount,
            "weekly_amount_limit": rates.weekly_amount_limit,
            "weekly_minutes_limit": rates.weekly_minutes_limit / 60,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        edit = attempt_edit(
            form,
            lambda: services.save_payment_settings(rates, data, expected_version=version, by=request.user),
            reload=lambda: services.payment_settings_for(organisation),
        )
        if edit.saved:
            messages.success(request, "Payment bands and weekly limits saved.")
            return redirect("involvement:payment_settings", slug=organisation.slug)
    return render(
        request,
        "involvement/payment_settings.jinja",
        {"organisation": organisation, "form": form, "no_bank_details": NO_BANK_DETAILS},
    )


@login_required
def onboarding(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    if not access.may_tick_onboarding(request.user, project, level):
        raise PermissionDenied("Only the project lead and the QI coach keep the onboarding checklist.")
    member = project.team.filter(pk=member_pk, role=TeamRole.PARTNER).select_related("user").first()
    if member is None:
        raise Http404("Not found")
    checklist = services.onboarding_for(project, member.user)
    team = (
        User.objects.filter(project_roles__project=project, project_roles__left_on__isnull=True)
        .exclude(pk=member.user_id)
        .distinct()
    )
    initial: dict[str, Any] = {item: getattr(checklist, item) for item in OnboardingItem.values}
    initial |= {
        "named_contact": checklist.named_contact_id,
        "version": checklist.version if checklist.pk else None,
    }
    form = OnboardingForm(request.POST or None, initial=initial, team=team)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        edit = attempt_edit(
            form,
            lambda: services.save_onboarding(checklist, data, expected_version=version, by=request.user),
            reload=lambda: services.onboarding_for(project, member.user),
        )
        if edit.saved:
            messages.success(request, f"Onboarding checklist for {member.user.display_name} saved.")
            return redirect("projects:team", pk=project.pk)
    return render(
        request,
        "involvement/onboarding.jinja",
        project_context(project, level, "team", form=form, partner=member.user, items=OnboardingItem.values),
    )


@login_required
def reflection(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    project, level = project_for(request, pk, Level.EDIT)
    if stage not in ReflectionStage.values:
        raise Http404("Not found")
    existing = project.coproduction_reflections.filter(stage=stage).first()
    subject = existing or CoproductionReflection(project=project, stage=stage)
    initial: dict[str, Any] = {"recorded_on": timezone.localdate()}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in CoproductionReflection.AUDITED_FIELDS}
        initial["version"] = existing.version
    form = ReflectionForm(request.POST or None, initial=initial, **guard_kwargs(project))
    latest = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm_no_personal_data", None)
        version = data.pop("version")
        edit = attempt_edit(
            form,
            lambda: services.save_reflection(subject, data, expected_version=version, by=request.user),
            reload=lambda: project.coproduction_reflections.get(stage=stage),
        )
        if edit.saved:
            record_confirmation(form, by=request.user, project=project, instance=subject)
            messages.success(
                request, f"Co-production reflection ({ReflectionStage(stage).label.lower()}) saved."
            )
            return redirect("involvement:project", pk=project.pk)
        latest = edit.latest
    return render(
        request,
        "involvement/reflection.jinja",
        project_context(
            project,
            level,
            "involvement",
            form=form,
            stage_label=ReflectionStage(stage).label,
            existing=existing,
            latest=presenters.ReflectionCard(latest) if latest else None,
        ),
    )
