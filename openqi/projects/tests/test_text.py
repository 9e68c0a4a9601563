"""Formatted story text: Markdown is kept, anything that could run script is neutralised."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from markupsafe import Markup

from openqi.privacy.display import MARKDOWN, displayed_text
from openqi.projects import text
from openqi.projects.text import ALLOWED_TAGS, format_text


def test_bold_emphasis_lists_and_links_are_kept() -> None:
    html = str(format_text("**Aim agreed** at the *forum*\n\n- first\n- second\n\n1. one\n2. two"))
    assert "<strong>Aim agreed</strong>" in html and "<em>forum</em>" in html
    assert "<ul>\n<li>first</li>" in html and "<ol>\n<li>one</li>" in html


def test_links_keep_their_address_and_open_safely() -> None:
    html = str(format_text("See [the NHS website](https://www.nhs.uk/conditions/)"))
    assert '<a href="https://www.nhs.uk/conditions/" rel="noopener noreferrer">the NHS website</a>' in html
    assert 'rel="noopener noreferrer"' in str(format_text("[mail us](mailto:qi@example.org)"))


def test_the_result_is_markup_so_templates_do_not_escape_it_twice() -> None:
    assert isinstance(format_text("plain"), Markup)
    assert format_text("") == Markup("") and format_text(None) == Markup("") and format_text("   ") == ""


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        '<a href="https://nhs.uk" onclick="alert(1)">click</a>',
        '<div onmouseover="alert(1)">hover</div>',
        "<iframe src=https://evil.example></iframe>",
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(source: str) -> None:
    html = str(format_text(source))
    assert "<script" not in html.lower() and "<img" not in html and "<iframe" not in html
    assert "<svg" not in html and "<style" not in html and "<div" not in html
    assert "&lt;" in html  # the person sees what they typed


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_never_become_links(source: str) -> None:
    html = str(format_text(source)).lower()
    assert "href" not in html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


ATTACKS = [
    '[x](https://nhs.uk "title" onclick=alert(1))',
    '<a href="https://nhs.uk" onclick="alert(1)" style="position:fixed">x</a>',
    "<p onmouseover=alert(1)>hi</p><b onfocus=alert(1) autofocus>b</b>",
    '<form action="https://evil.example"><input name=x></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_only_allowed_elements_and_attributes_come_out(source: str) -> None:
    for tag, attrs in elements(str(format_text(source))):
        assert tag in ALLOWED_TAGS, tag
        for name, _value in attrs:
            assert name in {"href", "title", "rel", "start"}, (tag, name)


@pytest.mark.parametrize("source", ATTACKS + ["<script>alert(1)</script>", '<a href="javascript:x()">x</a>'])
def test_the_sanitiser_alone_would_still_stop_raw_html(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Defence in depth: even if Markdown let HTML through, nh3 removes scripts, handlers and bad links.
    monkeypatch.setattr(text, "_markdown", MarkdownIt("commonmark", {"html": True}))
    html = str(text.format_text(source))
    assert "<script" not in html and "javascript:" not in html
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, tag
        assert all(not name.startswith("on") and name != "style" for name, _ in attrs)


def test_images_and_headings_are_plain_text() -> None:
    html = str(format_text("# Big heading\n\n![tracker](https://evil.example/pixel.png)"))
    assert "<h1" not in html and "<img" not in html
    assert "Big heading" in html


def test_the_personal_data_guard_reads_story_text_with_this_renderer() -> None:
    # One renderer: the guard judges a story entry exactly as this page displays it (ADR 0009).
    assert text._markdown is MARKDOWN
    html = str(format_text("943 *476* [59](https://example.org)19 &#55;"))
    assert displayed_text("943 *476* [59](https://example.org)19 &#55;") == "943 476 5919 7\n"
    assert "<em>476</em>" in html and ">59</a>19 7" in html
