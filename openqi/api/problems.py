"""Errors as `application/problem+json` (RFC 9457): every refusal says what went wrong in `detail`, and
`errors` lists each field or row at fault, so a program (or the person reading its log) can fix the request.

Endpoints raise `Problem` (or Django's Http404 and PermissionDenied, as the pages do); `install()` turns
those, ninja's validation and authentication errors, oversized bodies and unexpected failures into
problem responses.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from openqi.api.base import Out

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
# Problem types beyond the plain HTTP status (RFC 9457 §4.2: "about:blank" means just the status).
VALIDATION = "urn:openqi:problem:validation"
STALE_DATA = "urn:openqi:problem:stale-data"
RATE_LIMITED = "urn:openqi:problem:rate-limited"
TOO_LARGE = "urn:openqi:problem:too-large"


class FieldError(Out):
    """One thing wrong with the request: `field` names it as a path into the request (`points[3].value`,
    `query.page`), `row` is a data row's number (1 = the first item of `points`) where there is one."""

    field: str | None = None
    row: int | None = None
    message: str


class ProblemDetails(Out):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class Problem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type: str = "about:blank",  # noqa: A002 -- RFC 9457's member name
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type
        self.errors = list(errors) if errors is not None else None
        self.headers = headers or {}

    def response(self) -> HttpResponse:
        body = ProblemDetails(
            type=self.type,
            title=HTTPStatus(self.status).phrase,
            status=self.status,
            detail=self.detail,
            errors=self.errors,
        )
        response = HttpResponse(
            body.model_dump_json(exclude_none=True), status=self.status, content_type=MEDIA_TYPE
        )
        for name, value in self.headers.items():
            response[name] = value
        return response


def invalid(detail: str, errors: Sequence[FieldError]) -> Problem:
    return Problem(422, detail, type=VALIDATION, errors=errors)


def field_name(location: Sequence[Any]) -> str:
    """ninja's error location ('body', 'payload', 'points', 3, 'value') as `points[3].value`; query and
    path parameters keep their source (`query.page`) so it is clear where to look."""
    source, *rest = location or ("body",)
    if source == "body" and rest:
        rest = rest[1:]  # the endpoint's parameter name, which the caller never sees
    text = "" if source == "body" else str(source)
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or str(source)


def _validation(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [
        FieldError(field=field_name(e.get("loc", ())), message=str(e.get("msg", ""))) for e in exc.errors
    ]
    return invalid("The request does not match the API's schema: see `errors`.", errors).response()


def _unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    # A bug, not the caller's fault: logged with its traceback for us, a plain problem for them.
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return Problem(500, "Something went wrong on our side. It has been logged.").response()


def _problem(request: HttpRequest, exc: Any) -> HttpResponse:
    return exc.response()  # type: ignore[no-any-return]


def _unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
    return Problem(
        401,
        "Send a valid API token: Authorization: Bearer <token>. Make one on your account page.",
        headers={"WWW-Authenticate": 'Bearer realm="openqi"'},
    ).response()


def _throttled(request: HttpRequest, exc: Any) -> HttpResponse:
    # ninja adds the Retry-After header.
    wait = f"{exc.wait:.0f}" if exc.wait else "a minute"
    return Problem(
        429, f"Too many requests with this token. Try again in {wait} seconds.", type=RATE_LIMITED
    ).response()


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    # As the pages: a project the caller may not see is reported exactly as one that does not exist.
    return Problem(404, "Not found, or you may not see it.").response()


def _forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
    return Problem(403, str(exc) or "You may not do this.").response()


def _too_large(request: HttpRequest, exc: Any) -> HttpResponse:
    detail = "The request body is too large. Send fewer rows in each request."
    return Problem(413, detail, type=TOO_LARGE).response()


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return Problem(exc.status_code, str(exc)).response()


def install(api: NinjaAPI) -> None:
    """Every error path of `api` answers with problem details."""
    handlers: list[tuple[type[Exception], Any]] = [
        (Problem, _problem),
        (ValidationError, _validation),
        (AuthenticationError, _unauthenticated),
        (Throttled, _throttled),
        (Http404, _not_found),
        (PermissionDenied, _forbidden),
        (RequestDataTooBig, _too_large),
        (HttpError, _http_error),
        (Exception, _unexpected),
    ]
    for kind, handler in handlers:
        api.add_exception_handler(kind, handler)
