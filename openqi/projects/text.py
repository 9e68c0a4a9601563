"""Formatted text that people type into QI records (story entries first): a little Markdown, never HTML.

Two layers, so one mistake is not enough to let script through:

1. markdown-it renders Markdown with raw HTML *disabled*: anything that looks like a tag is shown as
   text, and its link validator already refuses javascript:, vbscript:, file: and data: URLs.
2. nh3 (the Rust ammonia sanitiser) then keeps only a small allow-list of tags and attributes and
   only http, https and mailto links, and gives every link rel="noopener noreferrer".

Images are switched off: an image URL typed into a story would load from anywhere (tracking) and the
page's Content-Security-Policy would block it anyway. Headings are off too, because a heading inside
an entry would break the page's heading outline (WCAG 1.3.1); their words stay as a paragraph.

The renderer is `openqi.privacy.display.MARKDOWN`, the one the personal-data guard reads text with, so
the guard judges exactly the text this page displays.
"""

from __future__ import annotations

from typing import Final

import nh3
from markupsafe import Markup

from openqi.privacy.display import MARKDOWN

__all__ = ["ALLOWED_TAGS", "format_text"]

ALLOWED_TAGS: Final = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr", "del"}
)
_ALLOWED_ATTRIBUTES: Final = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})

_markdown = MARKDOWN


def format_text(source: str | None) -> Markup:
    """Markdown typed by a person as safe HTML for a template (an empty Markup for no text)."""
    if not source or not source.strip():
        return Markup("")
    rendered = _markdown.render(source)
    cleaned = nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 -- sanitised by nh3 with the allow-list above
