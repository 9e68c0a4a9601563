"""Structured logs: one JSON object a line, each carrying the id of the request (or task) it belongs to.

`RequestIdMiddleware` takes the id from the `X-Request-ID` header a proxy sent (or makes one), returns it
in the response and binds it for the request; `RequestIdFilter` puts it on every log record; `JsonFormatter`
writes the record. A task run by the worker logs under `task-<its id>`. Log lines carry no request bodies,
cookies or e-mail addresses: only what the code logs on purpose.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("openqi_request_id", default="-")

# An id from outside is used only if it looks like one: no room for log injection or personal data.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str) -> Any:
    """Bind an id to the current context (a request, a task); returns the token to reset it with."""
    return _request_id.set(value)


def unbind_request_id(token: Any) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx response once the middleware has finished, with the request attached.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        for key, value in vars(record).items():
            if key == "request":  # Django's request loggers: the path, never the query string or body
                entry["method"] = getattr(value, "method", None)
                entry["path"] = getattr(value, "path", None)
            elif key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(HEADER, "")
        request_id = offered if _ACCEPTABLE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = bind_request_id(request_id)
        try:
            if settings.SENTRY_DSN:
                sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)
            response = self.get_response(request)
        finally:
            unbind_request_id(token)
        response[HEADER] = request_id
        return response
