"""The monthly sponsor update as a document: the facts of each project taken from its data (progress
score and its change, chart signals in plain words, PDSA cycles started and finished, story-log
highlights, open actions), and the sent update as an HTML e-mail with the key charts as pictures plus the
same update as a PDF (openqi.core.documents.pdf_from_html, charts embedded as data: URIs)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from openqi.coaching.models import SponsorUpdate, SponsorUpdateProject
from openqi.core.documents import PDF_MEDIA_TYPE, pdf_from_html
from openqi.core.formatting import long_date
from openqi.core.mail import subject_line
from openqi.core.tasks import background_task, enqueue_on_commit
from openqi.measures import charting
from openqi.measures.icons import variation_icon
from openqi.measures.models import TYPE_ORDER, MeasureType, ProjectMeasure
from openqi.meetings.services.actions import open_actions_of
from openqi.projects.models import Project, StoryCategory, progress_label

# Story entries a sponsor wants first: what was decided, reached and celebrated.
HIGHLIGHT_ORDER = [
    StoryCategory.MILESTONE,
    StoryCategory.CELEBRATION,
    StoryCategory.DECISION,
    StoryCategory.CHALLENGE,
    StoryCategory.LEARNING,
    StoryCategory.MEETING,
]
KEY_CHARTS = 2  # per project: its outcome measures first


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _score_at(project: Project, moment: dt.date) -> Decimal | None:
    change = project.score_changes.filter(changed_at__date__lte=moment).order_by("-changed_at", "-pk").first()
    return change.score if change is not None else None


def _key_links(project: Project) -> list[ProjectMeasure]:
    links = sorted(
        project.project_measures.select_related("measure"),
        key=lambda link: (TYPE_ORDER[MeasureType(link.measure_type)], link.order, link.pk),
    )
    return links


def signal_words(project: Project) -> list[str]:
    """Each measure's latest signal as a sentence a sponsor can read without a chart."""
    links = _key_links(project)
    payloads = charting.card_payloads(
        [(link.measure, project.pk, charting.chart_id_for(link)) for link in links]
    )
    words = []
    for link, payload in zip(links, payloads, strict=True):
        if not payload["n_points"]:
            words.append(f"{link.measure.name}: no data yet.")
            continue
        icon = variation_icon(payload["variation"])
        signal = icon.label if icon is not None else "Not enough data for a signal yet"
        headline = payload["summary"][0] if payload["summary"] else ""
        kind = MeasureType(link.measure_type).label.lower()
        words.append(f"{link.measure.name} ({kind}): {signal}. {headline}".strip())
    return words


def facts_for(project: Project, month: dt.date) -> dict[str, Any]:
    """What happened in the project in `month`, from its data, as plain values (kept with the update)."""
    start, end = month.replace(day=1), month_end(month)
    before = _score_at(project, start - dt.timedelta(days=1))
    now = _score_at(project, end)
    if now is None:
        now = project.progress_score
    cycles = project.pdsa_cycles.all()
    entries = sorted(
        project.story_entries.filter(occurred_on__range=(start, end)),
        key=lambda e: (HIGHLIGHT_ORDER.index(StoryCategory(e.category)), -e.occurred_on.toordinal()),
    )
    return {
        "score": str(now) if now is not None else None,
        "score_label": progress_label(now),
        "previous_score": str(before) if before is not None else None,
        "signals": signal_words(project),
        "cycles_started": [c.title for c in cycles if c.started_on and start <= c.started_on <= end],
        "cycles_finished": [
            f"{c.title} ({c.get_act_decision_display().lower()})" if c.act_decision else c.title
            for c in cycles
            if c.completed_on and start <= c.completed_on <= end
        ],
        "highlights": [f"{e.get_category_display()}: {e.title}" for e in entries[:3]],
        "open_actions": [
            {
                "description": a.description,
                "owner": a.owner.display_name if a.owner else "No one yet",
                "due": long_date(a.due_on),
            }
            for a in open_actions_of(project)[:8]
        ],
    }


def score_change_text(facts: dict[str, Any]) -> str:
    now, before = facts.get("score"), facts.get("previous_score")
    if now is None:
        return "Not scored yet"
    if before is None or before == now:
        return f"{facts['score_label']} (no change this month)" if before else facts["score_label"]
    direction = "up" if Decimal(now) > Decimal(before) else "down"
    return f"{facts['score_label']} ({direction} from {before})"


@dataclass(frozen=True)
class Picture:
    cid: str
    name: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def pictures_for(section: SponsorUpdateProject) -> list[Picture]:
    links = _key_links(section.project)
    chosen = [link for link in links if link.measure.points.exists()][:KEY_CHARTS]
    return [
        Picture(
            cid=f"chart-{section.pk}-{link.pk}@openqi",
            name=link.measure.name,
            png=charting.chart_file(link, "png"),
        )
        for link in chosen
    ]


def _context(update: SponsorUpdate, *, embed: bool) -> dict[str, Any]:
    sections = []
    for section in update.sections.select_related("project"):
        pictures = pictures_for(section)
        sections.append(
            {
                "section": section,
                "facts": section.facts,
                "score_text": score_change_text(section.facts),
                "pictures": [
                    {"src": p.data_uri if embed else f"cid:{p.cid}", "name": p.name} for p in pictures
                ],
                "files": pictures,
                "link": settings.SITE_URL.rstrip("/")
                + reverse("projects:detail", kwargs={"pk": section.project_id}),
            }
        )
    return {
        "update": update,
        "sections": sections,
        "month": f"{update.month:%B %Y}",
        "coach": update.prepared_by.display_name if update.prepared_by else "Your QI coach",
        "sent_on": long_date(update.sent_at),
    }


def update_html(update: SponsorUpdate, *, embed: bool = True) -> str:
    return render_to_string("coaching/sponsor_update_document.jinja", _context(update, embed=embed))


def update_pdf(update: SponsorUpdate) -> bytes:
    return pdf_from_html(update_html(update, embed=True))


def update_text(update: SponsorUpdate) -> str:
    lines = [f"Sponsor update – {update.month:%B %Y}", ""]
    if update.introduction:
        lines += [update.introduction, ""]
    for section in update.sections.select_related("project"):
        lines += [section.project.title, f"Progress score: {score_change_text(section.facts)}"]
        if section.coach_note:
            lines.append(section.coach_note)
        lines += [f"- {s}" for s in section.facts.get("signals", [])]
        lines.append("")
    if update.needs:
        lines += ["What I need from you", update.needs, ""]
    lines.append("The full update, with the charts, is attached as a PDF.")
    return "\n".join(lines)


def message_for(update: SponsorUpdate) -> EmailMultiAlternatives:
    """The e-mail: text, HTML whose charts are inline pictures (Content-ID), and the PDF."""
    context = _context(update, embed=False)
    html = render_to_string("coaching/sponsor_update_document.jinja", context)
    message = EmailMultiAlternatives(
        subject=subject_line(f"Sponsor update – {update.month:%B %Y}"),
        body=update_text(update),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[update.sponsor.email],
        reply_to=[update.prepared_by.email] if update.prepared_by else None,
    )
    message.attach_alternative(html, "text/html")
    # "related": the HTML part and its pictures belong together, so mail programs show them in place.
    message.mixed_subtype = "related"
    for section in context["sections"]:
        for picture in section["files"]:
            image = MIMEImage(picture.png, "png")
            image.add_header("Content-ID", f"<{picture.cid}>")
            image.add_header("Content-Disposition", "inline", filename=f"{picture.name[:60]}.png")
            message.attach(image)
    message.attach(f"sponsor-update-{update.month:%Y-%m}.pdf", update_pdf(update), PDF_MEDIA_TYPE)
    return message


@background_task(label="E-mail a sponsor update", attempts=3)
def send_update_email(*, organisation_id: int, update_id: int) -> int:
    update = (
        SponsorUpdate.objects.select_related("sponsor", "prepared_by")
        .filter(pk=update_id, organisation_id=organisation_id)
        .first()
    )
    if update is None:
        return 0
    return message_for(update).send()


def email_update(update: SponsorUpdate) -> None:
    enqueue_on_commit(send_update_email, organisation_id=update.organisation_id, update_id=update.pk)
