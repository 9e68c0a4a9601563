"""Browser journeys: Playwright driving Debian's Chromium against a live server, with an axe check of
every page a journey visits. If the browser cannot start, these tests fail; they never skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the test itself to
# arrange data and read e-mail) must be told that is fine here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("OPENQI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/system" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser-deps` (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


_axe = Axe()


@dataclass
class Journey:
    """A person in a browser. Every page reached is checked with axe (WCAG 2.2 A/AA rules)."""

    page: Page
    base_url: str
    checked: list[str] = field(default_factory=list)
    # axe needs script timers, which a page with JavaScript disabled never runs; such journeys are
    # audited by replaying the exact HTML they received in a script-enabled page on the same origin.
    auditor: Page | None = None

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check_accessibility()

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_load_state()
        self.check_accessibility()

    def follow(self, link: str) -> None:
        # NHS.UK "button" links are <a role="button">, so accept either role.
        target = self.page.get_by_role("link", name=link, exact=True).or_(
            self.page.get_by_role("button", name=link, exact=True)
        )
        target.first.click()
        self.page.wait_for_load_state()
        self.check_accessibility()

    def check_accessibility(self) -> None:
        audited = self.page
        if self.auditor is not None:
            self.auditor.goto(self.base_url + "/healthz")
            self.auditor.set_content(self.page.content(), wait_until="load")
            audited = self.auditor
        results = _axe.run(
            audited,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
            },
        )
        assert results.violations_count == 0, f"axe on {self.page.url}:\n{results.generate_report()}"
        self.checked.append(self.page.url)

    @property
    def text(self) -> str:
        return self.page.inner_text("main")


@pytest.fixture
def journey(browser: Browser, live_server, transactional_db) -> Iterator[Journey]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield Journey(page, live_server.url)
    context.close()


@pytest.fixture
def second_journey(browser: Browser, live_server, transactional_db) -> Iterator[Journey]:  # type: ignore[no-untyped-def]
    """Another person on another device, for journeys with two people."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    audit_context = browser.new_context()
    audit_context.set_default_timeout(10_000)
    yield Journey(context.new_page(), live_server.url, auditor=audit_context.new_page())
    context.close()
    audit_context.close()
