"""The public showcase: public projects of every organisation, for anyone, signed in or not.

Only `public_projects()` is read here, and it is the one filter on `visibility=public`: nothing a team did
not make public can appear (tests/test_showcase_public_only.py proves it for every page and export)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404
from markupsafe import Markup

from openqi.measures import charting
from openqi.organisations.models import Organisation
from openqi.portfolio.storyboard import (
    Highlight,
    chosen_highlights,
    family_in_order,
    public_team,
)
from openqi.projects.models import CoproductionLevel, Lifecycle, Project, Visibility


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(visibility=Visibility.PUBLIC)


def public_project_or_404(pk: int) -> Project:
    try:
        return public_projects().select_related("organisation", "service").get(pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404("Not found") from exc


class ShowcaseForm(forms.Form):
    """Search and filters of the public index; every field optional."""

    q = forms.CharField(label="Search public projects", required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Any", to_field_name="slug"
    )
    lifecycle = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any"), *Lifecycle.choices])
    coproduction = forms.ChoiceField(
        label="Co-production", required=False, choices=[("", "Any"), *CoproductionLevel.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only organisations with a public project are offered: the list of trusts using OpenQI is not.
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=public_projects().values("organisation_id")
        ).order_by("name")


def search(form: ShowcaseForm) -> QuerySet[Project]:
    projects = public_projects().select_related("organisation", "service").order_by("title", "pk")
    if not (form.is_bound and form.is_valid()):
        return projects
    data = form.cleaned_data
    if data.get("q"):
        words = data["q"]
        projects = projects.filter(
            Q(title__icontains=words) | Q(aim_what__icontains=words) | Q(problem__icontains=words)
        )
    if data.get("organisation"):
        projects = projects.filter(organisation=data["organisation"])
    if data.get("lifecycle"):
        projects = projects.filter(lifecycle=data["lifecycle"])
    if data.get("coproduction"):
        projects = projects.filter(coproduction=data["coproduction"])
    return projects


@dataclass(frozen=True)
class PublicChart:
    title: str
    measure_type: str
    svg_variants: dict[str, Markup]
    summary: list[str]
    annotations: list[tuple[int, str]]
    table_headers: list[str]
    table_rows: list[list[Any]]


@dataclass
class ShowcasePage:
    project: Project
    team: list[tuple[str, str]]
    unnamed: int
    charts: list[PublicChart]
    highlights: list[Highlight]


def showcase_page(project: Project) -> ShowcasePage:
    links = family_in_order(project)
    payloads = charting.payloads_for(
        [(link.measure, project.pk, charting.chart_id_for(link)) for link in links], "full"
    )
    team, unnamed = public_team(project)
    return ShowcasePage(
        project=project,
        team=team,
        unnamed=unnamed,
        charts=[
            PublicChart(
                title=link.measure.name,
                measure_type=link.get_measure_type_display(),
                # Drawn by openqi_spc.render, which escapes every text it draws.
                svg_variants={k: Markup(v) for k, v in payload["svg_variants"].items()},  # noqa: S704
                summary=list(payload["summary"]),
                annotations=[(n, label) for n, label, _when in payload["annotations"]],
                table_headers=list(payload["table_headers"]),
                table_rows=list(payload["table_rows"]),
            )
            for link, payload in zip(links, payloads, strict=True)
        ],
        highlights=chosen_highlights(project),
    )
