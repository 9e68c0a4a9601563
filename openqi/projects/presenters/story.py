"""How the story log shows an entry: date, author, category tag, formatted text, attachments and what the
reader may do with it, so the template holds no logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from markupsafe import Markup

from openqi.core.formatting import long_date
from openqi.projects.access import Level
from openqi.projects.models import StoryAttachment, StoryCategory, StoryEntry
from openqi.projects.text import format_text

# NHS.UK tag colours per category, so the log can be scanned by eye (the text still says it all).
CATEGORY_TAG_CLASSES: dict[str, str] = {
    StoryCategory.MEETING: "nhsuk-tag--blue",
    StoryCategory.DECISION: "nhsuk-tag--purple",
    StoryCategory.LEARNING: "nhsuk-tag--aqua-green",
    StoryCategory.CHALLENGE: "nhsuk-tag--orange",
    StoryCategory.MILESTONE: "nhsuk-tag--green",
    StoryCategory.CELEBRATION: "nhsuk-tag--yellow",
}


def person_name(user: Any) -> str:
    if user is None:
        return "A former user"
    return str(getattr(user, "display_name", "") or user)


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)}KB"
    return f"{size / (1024 * 1024):.1f}MB"


def may_change(entry: StoryEntry, user: Any, level: Level) -> bool:
    """The author (while still on the team with edit rights) or a project admin may edit or delete."""
    if level >= Level.ADMIN:
        return True
    return (
        level >= Level.EDIT and entry.author_id is not None and entry.author_id == getattr(user, "pk", None)
    )


@dataclass(frozen=True)
class AttachmentLink:
    name: str
    href: str
    size: str

    @classmethod
    def of(cls, attachment: StoryAttachment, project_pk: int) -> AttachmentLink:
        return cls(
            name=attachment.original_name,
            href=reverse(
                "projects:story_attachment", kwargs={"pk": project_pk, "attachment_pk": attachment.pk}
            ),
            size=file_size(attachment.size),
        )


@dataclass(frozen=True)
class StoryEntryCard:
    anchor: str
    date: str
    iso_date: str
    author: str
    category: str
    tag_classes: str
    title: str
    text: Markup
    attachments: list[AttachmentLink]
    edit_href: str | None
    delete_href: str | None

    @classmethod
    def of(cls, entry: StoryEntry, user: Any, level: Level) -> StoryEntryCard:
        kwargs = {"pk": entry.project_id, "entry_pk": entry.pk}
        changeable = may_change(entry, user, level)
        return cls(
            anchor=f"entry-{entry.pk}",
            date=long_date(entry.occurred_on),
            iso_date=entry.occurred_on.isoformat(),
            author=person_name(entry.author),
            category=entry.get_category_display(),
            tag_classes=CATEGORY_TAG_CLASSES.get(entry.category, ""),
            title=entry.title,
            text=format_text(entry.text),
            attachments=[AttachmentLink.of(a, entry.project_id) for a in entry.attachments.all()],
            edit_href=reverse("projects:story_edit", kwargs=kwargs) if changeable else None,
            delete_href=reverse("projects:story_delete", kwargs=kwargs) if changeable else None,
        )


def category_options(current: str) -> list[dict[str, Any]]:
    """Items for the NHS.UK select that filters the log (a GET form, so it works without JavaScript)."""
    items = [{"value": "", "text": "All categories", "selected": current == ""}]
    items += [{"value": v, "text": label, "selected": current == v} for v, label in StoryCategory.choices]
    return items
