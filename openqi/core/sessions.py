"""Sessions for shared NHS computers: they end when the browser closes (the cookie has no expiry date) and
after `OPENQI_SESSION_IDLE_MINUTES` without a request (`SESSION_COOKIE_AGE`).

Django counts a session's age from its last save, so the idle limit needs a save while the person is
active. Saving on every request (`SESSION_SAVE_EVERY_REQUEST`) would write the session row for every page,
chart image and download; this middleware saves it at most once every `REFRESH_SECONDS`, so the limit is
met to within a minute at the cost of one small write a minute per active person.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
_SEEN = "_openqi_seen"


class IdleSessionMiddleware:
    """Goes after SessionMiddleware, so its saves happen in SessionMiddleware's response step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A request without a session cookie has nothing to keep alive (and must not start a session).
        if session is None or session.session_key is None:
            return response
        now = int(time.time())
        seen = session.get(_SEEN, 0)
        # session_key is None once loading found the session expired or unknown.
        if session.session_key is not None and now - seen >= REFRESH_SECONDS:
            session[_SEEN] = now
        return response
