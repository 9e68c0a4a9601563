"""What a reader sees: the one Markdown renderer of OpenQI, and the text a rendered answer displays.

Story text is Markdown, and the personal-data guard must judge the text *as the page shows it*: an NHS
number split by emphasis (`943 *476* 5919`), by a link (`943 [476](https://…) 5919`) or by an escaped
dash reads as a plain number on the page. So the guard renders with the very renderer the pages use.
The renderer lives here, in the bottom layer, because the detector may import nothing above it; the
projects app formats story text with `MARKDOWN` from this module (openqi/projects/text.py), so there is
one renderer and the guard cannot drift from the page.

Nothing here imports Django (a test enforces it for the whole of `openqi.privacy` except `forms`).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Final

from markdown_it import MarkdownIt

__all__ = ["MARKDOWN", "displayed_chunks", "displayed_text", "render_markdown"]

# Raw HTML off (anything tag-like is shown as text), no typographer (quotes and dashes stay as typed),
# a line break is a line break. Images are off: an image URL would load from anywhere and the page's
# Content-Security-Policy blocks it anyway. Headings are off: a heading inside an entry would break the
# page's heading outline (WCAG 1.3.1); their words stay as a paragraph.
MARKDOWN: Final = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    .enable("strikethrough")
    .disable(["image", "heading", "lheading"])
)

# Elements that start or end a line on the page: their boundaries separate words.
_BLOCK_TAGS: Final = frozenset(
    {"p", "br", "li", "ul", "ol", "blockquote", "pre", "hr", "div", "table", "tr", "td", "th"}
)


def render_markdown(source: str) -> str:
    """`source` as HTML, by the renderer every page uses (sanitising is the caller's job)."""
    return str(MARKDOWN.render(source))


class _Displayed(HTMLParser):
    """Collects the text of rendered HTML: tags dropped, character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, bool]] = []
        self._at_line_start = True

    def _line_break(self) -> None:
        if not self._at_line_start:
            self.chunks.append(("\n", True))
            self._at_line_start = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._line_break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._line_break()

    def handle_data(self, data: str) -> None:
        if self._at_line_start and not data.strip():
            return  # the renderer's own line breaks between block elements
        self.chunks.append((data, False))
        self._at_line_start = data.endswith("\n")


def displayed_chunks(source: str) -> list[tuple[str, bool]]:
    """The displayed text of Markdown `source` in pieces, each marked True when it is a line break
    that the page's layout adds (between paragraphs, list items) rather than text the author typed."""
    parser = _Displayed()
    parser.feed(render_markdown(source))
    parser.close()
    return parser.chunks


def displayed_text(source: str) -> str:
    """The text a reader sees when `source` is shown as Markdown: markup gone, entities decoded.

    >>> displayed_text("943 *476* 5919, see [the note](https://example.org) &amp; 4&#55;")
    '943 476 5919, see the note & 47\\n'
    """
    return "".join(text for text, _ in displayed_chunks(source))
