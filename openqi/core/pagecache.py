"""Rendered pages kept for the person who asked, until the data behind them change.

The main read pages of a large trust (project lists and search, a project, its measures and charts, the
timeline, chart images, the portfolio dashboard) cost tens of milliseconds of rendering each; under load
that, not the database, is what people wait for. `cached_page` keeps a view's finished response and serves
it again to the same signed-in session while nothing has been written since (openqi.core.generation):

- The key holds the session (so the person, their permissions and their CSRF secret), the full path with
  its query, today's date (pages say "overdue", "3 days ago") and the code's fingerprint (so a deploy
  never serves pages its old templates drew). The kept page carries the data generation it was rendered
  at and is served only while that is still the generation: any write anywhere moves it on, so a kept
  page is never older than the data. A page that depends on the clock within a day is at most
  `PAGE_CACHE_SECONDS` old.
- Only plain GETs by a signed-in session are kept, and only 200 responses that set no cookie; never when a
  message ("Saved") waits to be shown, never a page whose CSRF token came from a secret made just now.
- The CSP nonce is per response: a kept page stores a placeholder where the nonce was and each answer gets
  a fresh one.

docs/adr/0026-page-cache.md
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import openqi_spc
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openqi.core import generation
from openqi.core.cachetable import TableCache

# Stands where the nonce was; never occurs in a page otherwise (its own text is not a valid nonce).
NONCE_MARK = b"\x00openqi-csp-nonce\x00"

View = Callable[..., HttpResponse]


def _enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def _may_use(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not _enabled():
        return False
    session = getattr(request, "session", None)
    if session is None or session.session_key is None or not request.user.is_authenticated:
        return False
    # A message waiting to be shown belongs in this answer, not in a kept page (len() does not use it up).
    return len(get_messages(request)) == 0


def code_fingerprint() -> str:
    """The code this process serves. Read once per process, except in development, where templates are
    edited under a running server (which reloads them, and kept pages must follow)."""
    return _read_fingerprint() if settings.DEBUG else _fingerprint_at_start()


@functools.cache
def _fingerprint_at_start() -> str:
    return _read_fingerprint()


def _read_fingerprint() -> str:
    """Every file of the app and of openqi_spc by name, size and time."""
    digest = hashlib.sha256()
    for root in (Path(__file__).resolve().parent.parent, Path(openqi_spc.__file__).resolve().parent):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".jinja", ".html", ".txt"}:
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _key(request: HttpRequest, view: View) -> str:
    parts = [
        code_fingerprint(),
        f"{view.__module__}.{view.__qualname__}",
        request.get_full_path(),
        request.session.session_key or "",
        str(request.META.get("CSRF_COOKIE", "")),
        timezone.localdate().isoformat(),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _lookup(store: Any, key: str) -> tuple[dict[str, Any] | None, int]:
    """The page kept under `key`, if any, and the generation now: one round trip with the table cache."""
    if isinstance(store, TableCache):
        kept, now = store.get_with_generation(key)
        return kept, now
    return store.get(key), generation.current()


def _nonce(request: HttpRequest) -> bytes:
    return str(getattr(request, "csp_nonce", "")).encode()


def _keepable(request: HttpRequest, response: HttpResponse, csrf_before: Any) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A token from a secret made in this request is only good with the cookie this response sets.
        and request.META.get("CSRF_COOKIE") == csrf_before
    )


def _kept(request: HttpRequest, response: HttpResponse, at: int) -> dict[str, Any]:
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        content = content.replace(str(nonce).encode(), NONCE_MARK)
    # Every header the view set (its content type, a download's name); the middleware adds its own (the
    # CSP with this answer's nonce, security headers, the length) to each answer, kept or not.
    headers = dict(response.headers.items())
    # Compressed: a project page is a few hundred kilobytes of HTML, and fetching it from the cache table
    # (and PostgreSQL's own compression of it) cost more than zlib's fastest level does.
    return {"generation": at, "content": zlib.compress(content, 1), "headers": headers}


def _replayed(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    content = zlib.decompress(kept["content"])
    if NONCE_MARK in content:
        content = content.replace(NONCE_MARK, _nonce(request))
    response = HttpResponse(content)
    for name, value in kept["headers"].items():
        response[name] = value
    return response


def cached_page(view: View) -> View:
    """Keep this read-only view's answers per session until the data change (see the module's words).
    Goes inside `login_required`, so people who are not signed in are sent to sign in first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use(request):
            return view(request, *args, **kwargs)
        store = caches["pages"]
        key = _key(request, view)
        # The generation is read before the view reads any data: a page rendered from data newer than the
        # number it is kept under is only ever fresher than its number says.
        kept, now = _lookup(store, key)
        if kept is not None and kept.get("generation") == now:
            return _replayed(request, kept)
        csrf_before = request.META.get("CSRF_COOKIE")
        response = view(request, *args, **kwargs)
        if _keepable(request, response, csrf_before):
            store.set(key, _kept(request, response, now), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped
