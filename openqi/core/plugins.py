"""Plug-in points: how an app puts something on a page owned by an app below it, without the lower app
importing it (docs/adr/0012-layers-and-plug-in-points.md).

The lower app declares a `PluginPoint` and reads it when it builds the page; the upper app registers its
contribution in its `AppConfig.ready()`. Because every app's `ready()` has run before the first request,
the lower app sees every contribution while importing none of them.

Core declares the points that belong to no domain (the header navigation, the home page); the projects
app declares the points on a project (openqi/projects/plugins.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.http import HttpRequest

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    key: str
    order: int
    value: T


class PluginPoint(Generic[T]):
    """An ordered set of contributions, each under a unique key. Registering a key again replaces the
    earlier contribution, so a `ready()` that runs twice (as in some test set-ups) adds nothing twice."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, _Entry[T]] = {}
        self._watchers: list[Callable[[T], None]] = []

    def register(self, value: T, *, key: str, order: int = 100) -> T:
        self._entries[key] = _Entry(key, order, value)
        for watcher in self._watchers:
            watcher(value)
        return value

    def watch(self, watcher: Callable[[T], None]) -> None:
        """Call `watcher` with every contribution, those registered already and those to come: for the
        owner that must act once per contribution (connect a signal for the models it names, say)."""
        self._watchers.append(watcher)
        for entry in self._sorted():
            watcher(entry.value)

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    @contextmanager
    def contributing(self, value: T, *, key: str, order: int = 100) -> Iterator[T]:
        """Register for the length of a `with` block (tests), putting back whatever the key held."""
        before = self._entries.get(key)
        self.register(value, key=key, order=order)
        try:
            yield value
        finally:
            if before is None:
                self.unregister(key)
            else:
                self._entries[key] = before

    def names(self) -> list[str]:
        return [entry.key for entry in self._sorted()]

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        return entry.value if entry is not None else None

    def __iter__(self) -> Iterator[T]:
        return iter([entry.value for entry in self._sorted()])

    def __len__(self) -> int:
        return len(self._entries)

    def _sorted(self) -> list[_Entry[T]]:
        return sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key))

    def __repr__(self) -> str:
        return f"<PluginPoint {self.name}: {', '.join(self.names())}>"


@dataclass(frozen=True)
class NavSection:
    """A header navigation item. `visible` decides per person (a section for coaches only, say)."""

    url_name: str
    text: str
    visible: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class Panel:
    """A block of a page: `template` is included with the dict `context` returns; None hides the panel
    (nothing to show, or the person may not see it)."""

    template: str
    context: Callable[..., dict[str, Any] | None]


# The header navigation of a signed-in person.
navigation: PluginPoint[NavSection] = PluginPoint("navigation")

# Panels on the home page after sign-in; context(request) -> dict | None.
home_panels: PluginPoint[Panel] = PluginPoint("home_panels")


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


def render_panels(point: PluginPoint[Panel], *args: Any) -> list[RenderedPanel]:
    """The panels of `point` that have something to show, each with the context it asked for."""
    shown = []
    for panel in point:
        context = panel.context(*args)
        if context is not None:
            shown.append(RenderedPanel(panel.template, context))
    return shown


def home_panels_for(request: HttpRequest) -> list[RenderedPanel]:
    return render_panels(home_panels, request)
