"""Who is calling: a personal access token (`Authorization: Bearer oqi_…`) names a person, and the request
then acts exactly as that person does on the pages — the same `scope_for`, `visible_projects` and `level`.
Each token may make `settings.API_REQUESTS_PER_MINUTE` requests a minute (per token, across workers: the
counter lives in the shared cache)."""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from openqi.accounts import tokens
from openqi.accounts.models import ApiToken

WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.token_for_secret(token.strip())
        if found is None:
            return None
        # Everything below the API (scope_for, the access policy, services' `by=`) reads the person from
        # request.user, as for a signed-in page.
        request.user = found.user
        return found


class TokenThrottle(BaseThrottle):
    """A fixed one-minute window per token: two cache operations per request, and a clear Retry-After."""

    def __init__(self) -> None:
        # One throttle serves every request; ninja asks `wait()` right after a refusal, in the same thread.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token: Any = getattr(request, "auth", None)
        limit = settings.API_REQUESTS_PER_MINUTE
        if token is None or not limit:
            return True
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api:rate:{token.pk}:{window}"
        cache.add(key, 0, WINDOW_SECONDS + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this request starts the window
            cache.set(key, 1, WINDOW_SECONDS + 5)
            count = 1
        if count <= limit:
            return True
        self._local.wait = math.ceil((window + 1) * WINDOW_SECONDS - now)
        return False

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
