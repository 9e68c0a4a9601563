"""The project timeline: one dated list, newest first, merged from everything that happened to a project
(story entries, PDSA cycles, progress scores, team changes, lifecycle moves), and the audit trail rows.

Other apps add their own events through the plug-in point `plugins.timeline_sources`, in their
AppConfig.ready():

    from openqi.projects import plugins

    def chart_annotations(project):
        for note in project.annotations.all():   # always through the project's relations
            yield SimpleNamespace(kind="annotation", date=note.date, title=note.text, ...)

    plugins.timeline_sources.register(
        plugins.TimelineSource("annotation", "Chart annotations", chart_annotations), key="annotation"
    )

A source receives a project the person is already allowed to see and must only follow its relations.
It should yield TimelineItem; any other object with `kind`, `date` and `title` (and optionally
`detail` or `text`, `link` or `href`, `at`, `who`) is adapted, so an app need not import this module
to produce events. A kind without a registered label is still shown and filterable, labelled from
its name ("measure_annotation" -> "Measure annotation").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from openqi.core.formatting import long_date
from openqi.core.models import AuditEvent
from openqi.projects import plugins
from openqi.projects.models import LeadHandover, LifecycleChange, Project, TeamRole, progress_label
from openqi.projects.presenters.story import person_name


@dataclass(frozen=True)
class TimelineItem:
    """One event. `at` (a datetime) orders events on the same date; `link` goes to the thing itself."""

    kind: str
    date: dt.date
    title: str
    detail: str = ""
    link: str | None = None
    at: dt.datetime | None = None
    who: str = ""

    @property
    def kind_label(self) -> str:
        return kind_labels().get(self.kind, self.kind.replace("_", " ").capitalize())

    @property
    def display_date(self) -> str:
        return long_date(self.date)

    def sort_key(self) -> tuple[dt.date, float]:
        """Date first, then the moment it was recorded, when that moment is on the same day (an entry
        written up a week later says nothing about the order of that day's events). A naive moment is
        read in the site's time zone, so it compares with the aware ones."""
        moment = self.at
        if moment is None:
            return (self.date, 0.0)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if timezone.localdate(moment) != self.date:
            return (self.date, 0.0)
        return (self.date, moment.timestamp())


def kind_labels() -> dict[str, str]:
    """The kinds a reader can filter by, in the order the filter shows them: kind -> label."""
    return {source.kind: source.label for source in plugins.timeline_sources}


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        # The section may not exist yet in this build; the item is still shown, unlinked.
        return None


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def story_items(project: Project) -> Iterable[TimelineItem]:
    base = reverse("projects:story", kwargs={"pk": project.pk})
    for entry in project.story_entries.select_related("author"):
        yield TimelineItem(
            kind="story",
            date=entry.occurred_on,
            title=entry.title,
            detail=entry.get_category_display(),
            link=f"{base}#entry-{entry.pk}",
            at=entry.created_at,
            who=person_name(entry.author),
        )


def pdsa_items(project: Project) -> Iterable[TimelineItem]:
    for cycle in project.pdsa_cycles.all():
        link = _url("projects:pdsa_detail", pk=project.pk, cycle_pk=cycle.pk) or _url(
            "projects:pdsa_list", pk=project.pk
        )
        if cycle.started_on:
            yield TimelineItem(
                kind="pdsa",
                date=cycle.started_on,
                title=f"PDSA cycle started: {cycle.title}",
                detail=cycle.objective,
                link=link,
            )
        if cycle.completed_on:
            decision = cycle.get_act_decision_display() if cycle.act_decision else "no decision recorded"
            yield TimelineItem(
                kind="pdsa",
                date=cycle.completed_on,
                title=f"PDSA cycle completed: {cycle.title}",
                detail=f"Decision: {decision}" + (f". {cycle.act_next_step}" if cycle.act_next_step else ""),
                link=link,
                # A cycle started and completed on one day: completion comes after the start.
                at=dt.datetime.combine(cycle.completed_on, dt.time.max) if cycle.started_on else None,
            )


def score_items(project: Project) -> Iterable[TimelineItem]:
    link = _url("projects:detail", pk=project.pk)
    for change in project.score_changes.select_related("changed_by"):
        from_text = f" (was {change.previous_score})" if change.previous_score is not None else ""
        yield TimelineItem(
            kind="score",
            date=_local_date(change.changed_at),
            title=f"Progress score {progress_label(change.score)}{from_text}",
            detail=change.note,
            link=link,
            at=change.changed_at,
            who=person_name(change.changed_by),
        )


def team_items(project: Project) -> Iterable[TimelineItem]:
    link = _url("projects:team", pk=project.pk)
    handovers = list(project.lead_handovers.select_related("new_lead", "previous_lead", "recorded_by"))
    # A handover says in one line what its stints' starts and ends would say in three.
    told = {(h.new_lead_id, TeamRole.LEAD, "joined", h.handed_over_on) for h in handovers}
    told |= {(h.previous_lead_id, TeamRole.LEAD, "left", h.handed_over_on) for h in handovers}
    told |= {(h.new_lead_id, TeamRole.MEMBER, "left", h.handed_over_on) for h in handovers}
    for member in project.team.select_related("user"):
        name = person_name(member.user)
        role = member.get_role_display()
        if (member.user_id, member.role, "joined", member.joined_on) not in told:
            yield TimelineItem(
                kind="team",
                date=member.joined_on,
                title=f"{name} joined as {role.lower()}",
                link=link,
                at=member.joined_at,
            )
        if member.left_on and (member.user_id, member.role, "left", member.left_on) not in told:
            yield TimelineItem(
                kind="team",
                date=member.left_on,
                title=f"{name} left the role of {role.lower()}",
                link=link,
                # Stints ended before the time was kept: the end of that day.
                at=member.left_at or dt.datetime.combine(member.left_on, dt.time.max),
            )
    for handover in handovers:
        yield handover_item(handover, link)


def handover_item(handover: LeadHandover, link: str | None) -> TimelineItem:
    new, old = person_name(handover.new_lead), person_name(handover.previous_lead)
    when = long_date(handover.handed_over_on)
    if handover.co_lead:
        title = f"{new} joined {old} as co-lead on {when}"
    else:
        title = f"{new} took over as lead from {old} on {when}"
    return TimelineItem(
        kind="team",
        date=handover.handed_over_on,
        title=title,
        detail=handover.note,
        link=link,
        at=handover.recorded_at,
        who=person_name(handover.recorded_by) if handover.recorded_by_id else "",
    )


def lifecycle_items(project: Project) -> Iterable[TimelineItem]:
    link = _url("projects:detail", pk=project.pk)
    change: LifecycleChange
    for change in project.lifecycle_changes.select_related("changed_by"):
        title = f"{change.get_from_state_display()} → {change.get_to_state_display()}"
        if change.to_state == "approved":
            # Who approved, and when, is in the change's own note (the project keeps only the latest).
            title = "Project approved"
        yield TimelineItem(
            kind="lifecycle",
            date=_local_date(change.changed_at),
            title=title,
            detail=change.note,
            link=link,
            at=change.changed_at,
            who=person_name(change.changed_by),
        )


def register_sources() -> None:
    """The project's own timeline sources (called from ProjectsConfig.ready())."""
    for order, (kind, label, events) in enumerate(
        (
            ("story", "Story entries", story_items),
            ("pdsa", "PDSA cycles", pdsa_items),
            ("score", "Progress scores", score_items),
            ("team", "Team changes", team_items),
            ("lifecycle", "Lifecycle and approvals", lifecycle_items),
        )
    ):
        plugins.timeline_sources.register(plugins.TimelineSource(kind, label, events), key=kind, order=order)


def as_item(event: Any) -> TimelineItem:
    """A TimelineItem from whatever a source yielded (see the module docstring)."""
    if isinstance(event, TimelineItem):
        return event
    return TimelineItem(
        kind=str(getattr(event, "kind", "") or "other"),
        date=event.date,
        title=str(event.title),
        detail=str(getattr(event, "detail", "") or getattr(event, "text", "") or ""),
        link=getattr(event, "link", None) or getattr(event, "href", None),
        at=getattr(event, "at", None),
        who=str(getattr(event, "who", "") or ""),
    )


def timeline_for(project: Project, kinds: Sequence[str] | None = None) -> list[TimelineItem]:
    """Every item from every registered source, newest first; only `kinds` when given (and not empty)."""
    wanted = set(kinds or ())
    items = [as_item(event) for source in plugins.timeline_sources for event in source.events(project)]
    if wanted:
        items = [item for item in items if item.kind in wanted]
    # Events with the same date and moment keep the order their source gave them (newest first).
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1].sort_key(), pair[0]), reverse=True)
    return [item for _position, item in ordered]


def kind_choices(items: Sequence[TimelineItem], chosen: Sequence[str]) -> list[dict[str, Any]]:
    """Checkbox items for the filter: the registered kinds, then any other kind present in `items`."""
    labels = kind_labels()
    for item in items:
        labels.setdefault(item.kind, item.kind_label)
    return [{"value": k, "text": label, "checked": k in chosen} for k, label in labels.items()]


@dataclass(frozen=True)
class MonthGroup:
    heading: str
    key: str
    items: list[TimelineItem] = field(default_factory=list)


def by_month(items: Sequence[TimelineItem]) -> list[MonthGroup]:
    """Consecutive items grouped under 'March 2025' headings (items are already newest first)."""
    return [
        MonthGroup(heading=f"{first:%B %Y}", key=f"{first:%Y-%m}", items=list(group))
        for first, group in (
            (dt.date(year, month, 1), group)
            for (year, month), group in groupby(items, key=lambda i: (i.date.year, i.date.month))
        )
    ]


# --- The audit trail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    """One audit event as the trail shows it: who, when, what, and before → after for each field."""

    who: str
    when: str
    iso_when: str
    action: str
    object_label: str
    object_name: str
    changes: list[FieldChange]

    @classmethod
    def of(cls, event: AuditEvent) -> AuditRow:
        model = _model(event.object_type)
        moment = timezone.localtime(event.created_at)
        return cls(
            who=person_name(event.actor) if event.actor_id else "System or a removed account",
            when=f"{moment.day} {moment:%B %Y at %H:%M}",
            iso_when=moment.isoformat(),
            action=event.get_action_display(),
            object_label=str(model._meta.verbose_name).capitalize() if model else event.object_type,
            object_name=event.object_repr,
            changes=[_field_change(model, name, value) for name, value in (event.changes or {}).items()],
        )


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field_label(model: Any, name: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            # A reverse relation (a story entry's "attachments") has no verbose name of its own.
            if hasattr(field, "verbose_name"):
                return str(field.verbose_name).capitalize()
    return name.replace("_", " ").capitalize()


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _field_change(model: Any, name: str, value: Any) -> FieldChange:
    # audit.diff stores [before, after]; other events (a personal-data confirmation) store a detail.
    if isinstance(value, list) and len(value) == 2 and not any(isinstance(v, dict) for v in value):
        return FieldChange(_field_label(model, name), _shown(value[0]), _shown(value[1]))
    return FieldChange(_field_label(model, name), "", _shown(value))
