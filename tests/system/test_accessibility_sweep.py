"""An accessibility and robustness sweep: sign in as each demo persona, crawl every page reachable by
following links (GET only), and check each page loads, passes axe (WCAG 2.x A/AA) and has one <h1> and
a "… – OpenQI" title; then, on a desktop (1280 px) and on a phone (375 px), that nothing scrolls the page
sideways and no text (HTML or SVG, charts included) renders under 12 CSS px. Problems are collected
across the whole crawl and reported together."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Error

from openqi.accounts.models import User
from openqi.projects.access import visible_projects
from openqi.projects.models import Project, Visibility
from tests.system.conftest import Journey, _axe
from tests.system.steps import given_i_am_signed_in_as

LEAD = "practitioner@northshire.nhs.uk"
PARTNER = "sam.taylor.partner@example.com"
QI_ADMIN = "qi.admin@northshire.nhs.uk"
ORGANISATION = "/organisation/northshire/"

# The same rules as Journey.check_accessibility.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
NOT_PAGES = (".png", ".svg", ".csv", ".xlsx", ".pdf", ".json", ".ics", ".pptx")
# /api/: the API's documentation page is Swagger UI (django-ninja's), not one of our NHS.UK pages.
NOT_CRAWLED = ("/accounts/logout", "/django-admin/", "/assets/", "/static/", "/api/")
TITLE_END = "– OpenQI"
# NHS.UK frontend's CSS asks for Frutiger from assets.nhs.uk; the Content Security Policy blocks it on purpose
# and pages fall back to Arial (docs/adr/0002). Any other console error is a problem.
KNOWN_BLOCKED_FONTS = "Loading the font 'https://assets.nhs.uk/fonts/"
# Every page is checked at both widths: a desktop and a phone (an iPhone SE/mini, 375 CSS px).
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}
SMALLEST_TEXT_PX = 12

# Text as rendered: an HTML element's own text at its computed size; an SVG <text> at its size times the
# SVG's scale on screen (a chart drawn 760 units wide and shown 343 px wide shrinks its text). Hidden
# text (display:none, visually hidden, zero-sized) is not rendered, so not measured.
MEASURE_PAGE = """(smallest) => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  };
  const where = (el) => {
    const bits = [];
    for (let e = el; e && e !== document.body && bits.length < 3; e = e.parentElement) {
      bits.unshift(e.tagName.toLowerCase() + (e.classList.length ? "." + [...e.classList].join(".") : ""));
    }
    return bits.join(" > ");
  };
  const small = [];
  const note = (el, size) => {
    if (size < smallest - 0.05) {
      small.push(`${where(el)} "${el.textContent.trim().slice(0, 30)}" ${size.toFixed(1)}px`);
    }
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg, script, style, noscript, template")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (own && shown(el)) note(el, parseFloat(getComputedStyle(el).fontSize));
  }
  for (const el of document.querySelectorAll("svg text")) {
    if (!el.textContent.trim() || !shown(el)) continue;
    const m = el.getScreenCTM();
    note(el, parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.a, m.b));
  }
  const wide = [];
  if (document.documentElement.scrollWidth > innerWidth) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 1 && r.width > 0) wide.push(`${where(el)} to ${Math.round(r.right)}px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, small, wide: wide.slice(0, 5)};
}"""


@dataclass
class Sweep:
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Script errors and console errors (a blocked script or style, a missing asset) on the current page.
    errors: list[str] = field(default_factory=list)

    def on_page_error(self, error: Error) -> None:
        self.errors.append(f"script error: {error}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and KNOWN_BLOCKED_FONTS not in message.text:
            self.errors.append(f"console error: {message.text}")

    def merge(self, other: Sweep) -> None:
        self.visited += other.visited
        self.problems += other.problems

    def report(self) -> str:
        return f"{len(self.problems)} problems on {len(self.visited)} pages:\n" + "\n\n".join(self.problems)


def _crawlable(href: str) -> bool:
    path = urlsplit(href).path
    return (
        href.startswith("/")
        and not href.startswith("//")
        and not path.startswith(NOT_CRAWLED)
        and not path.lower().endswith(NOT_PAGES)
        and "/story/attachments/" not in path
        and not re.search(r"^/meetings/.*/papers/\d+/$", path)  # a meeting paper: a download
    )


def _check_layout(journey: Journey, url: str, sweep: Sweep, size: dict[str, int]) -> None:
    """At one window size: axe, no sideways scrolling of the page, no text under 12 px."""
    page = journey.page
    page.set_viewport_size(size)
    label = f"{url} at {size['width']} px"
    results = _axe.run(page, options=AXE_OPTIONS)
    if results.violations_count:
        sweep.problems.append(f"{label}: axe\n{results.generate_report()}")
    measured = page.evaluate(MEASURE_PAGE, SMALLEST_TEXT_PX)
    if measured["scrollWidth"] > size["width"]:
        sweep.problems.append(
            f"{label}: the page scrolls sideways ({measured['scrollWidth']} px wide)\n"
            + "\n".join(measured["wide"])
        )
    if measured["small"]:
        sweep.problems.append(
            f"{label}: {len(measured['small'])} text(s) under {SMALLEST_TEXT_PX} px\n"
            + "\n".join(measured["small"][:8])
        )


def _check_page(journey: Journey, url: str, sweep: Sweep) -> list[str]:
    """Visit one page; record what is wrong with it; return the hrefs of its links."""
    page = journey.page
    sweep.errors.clear()
    page.set_viewport_size(DESKTOP)
    response = page.goto(journey.base_url + url, wait_until="load")
    sweep.visited.append(url)
    status = response.status if response is not None else None
    if status != 200:
        sweep.problems.append(f"{url}: HTTP {status}")
    for size in (DESKTOP, PHONE):
        _check_layout(journey, url, sweep, size)
    headings = page.locator("h1").count()
    if headings != 1:
        sweep.problems.append(f"{url}: {headings} <h1> elements, not one")
    title = page.title().strip()
    if not title.endswith(TITLE_END) or not title.removesuffix(TITLE_END).strip():
        sweep.problems.append(f"{url}: title {title!r} does not end in {TITLE_END!r}")
    if sweep.errors:
        sweep.problems.append(f"{url}: browser errors\n" + "\n".join(sweep.errors))
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")


def _address(href: str) -> str:
    """The page a link shows: its path and query, less any fragment or `page` (pages of one list)."""
    parts = urlsplit(href)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"])
    return f"{parts.path}?{query}" if query else parts.path


def _shape(address: str) -> str:
    """/projects/1/story/12/edit/ -> /projects/#/story/#/edit/ (and ?follows=5 -> ?follows=#): pages of
    one kind share a shape."""
    return re.sub(r"(?<=[/=])\d+(?=[/&]|$)", "#", address)


def crawl(journey: Journey, starts: list[str], limit: int, within: str = "/") -> Sweep:
    """Breadth-first from `starts`, each distinct page once, at most `limit` pages. A page of a kind not
    yet queued goes ahead of another of a kind already queued (the thirteenth story entry's edit page),
    so the limit cuts repeats, not kinds of page."""
    sweep = Sweep()
    seen: set[str] = set()
    shapes: set[str] = set()
    new_kinds: deque[str] = deque()
    repeats: deque[str] = deque()

    def enqueue(href: str) -> None:
        address = _address(href)
        if _crawlable(href) and address.startswith(within) and address not in seen:
            seen.add(address)
            (repeats if _shape(address) in shapes else new_kinds).append(address)
            shapes.add(_shape(address))

    for start in starts:
        enqueue(start)
    journey.page.on("pageerror", sweep.on_page_error)
    journey.page.on("console", sweep.on_console)
    while (new_kinds or repeats) and len(sweep.visited) < limit:
        for href in _check_page(journey, (new_kinds or repeats).popleft(), sweep):
            enqueue(href)
    journey.page.remove_listener("pageerror", sweep.on_page_error)
    journey.page.remove_listener("console", sweep.on_console)
    return sweep


def _public_projects() -> list[int]:
    public = Project.objects.filter(visibility=Visibility.PUBLIC).order_by("pk")
    return list(public.values_list("pk", flat=True))


def _overviews(email: str) -> list[str]:
    user = User.objects.get_by_email(email)
    return [f"/projects/{pk}/" for pk in visible_projects(user).order_by("pk").values_list("pk", flat=True)]


def test_every_page_a_project_lead_can_reach_is_accessible(journey: Journey) -> None:
    # Given the full demo, and the talking-therapies project lead signed in
    call_command("seed_demo", verbosity=0)
    given_i_am_signed_in_as(journey, LEAD)
    # When they follow every link from the home page, the projects list and each project they can see
    sweep = crawl(journey, ["/", "/projects/", *_overviews(LEAD)], limit=150)
    # And, signed out, anyone opens the public page of each public project (the demo may have none)
    journey.page.context.clear_cookies()
    public = [f"/public/projects/{pk}/" for pk in _public_projects()]
    sweep.merge(crawl(journey, public, limit=len(public), within="/public/"))
    # Then every page loads without script errors, passes axe and is titled with one main heading
    assert len(sweep.visited) > 40, sweep.visited
    assert not sweep.problems, sweep.report()


def test_every_page_a_service_user_partner_can_reach_is_accessible(journey: Journey) -> None:
    call_command("seed_demo", verbosity=0)
    given_i_am_signed_in_as(journey, PARTNER)
    sweep = crawl(journey, ["/", "/projects/mine/", *_overviews(PARTNER)], limit=60)
    assert len(sweep.visited) > 10, sweep.visited
    assert not sweep.problems, sweep.report()


def test_every_organisation_admin_page_is_accessible(journey: Journey) -> None:
    call_command("seed_demo", verbosity=0)
    given_i_am_signed_in_as(journey, QI_ADMIN)
    starts = ["/organisation/", *(f"{ORGANISATION}{page}/" for page in ("people", "structure", "settings"))]
    sweep = crawl(journey, starts, limit=60, within="/organisation/")
    assert len(sweep.visited) > 5, sweep.visited
    assert not sweep.problems, sweep.report()
