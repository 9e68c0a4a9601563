"""What every router shares: the caller, the project they ask about (through the one access policy), the
problem responses an operation can give, and small reference shapes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest
from django.urls import reverse

from openqi.accounts.models import User
from openqi.api.base import Out
from openqi.api.problems import FieldError, Problem, ProblemDetails, invalid
from openqi.privacy.forms import CONFIRM_FIELD, WARN_MESSAGE
from openqi.projects.access import Level, project_for_user
from openqi.projects.models import Project

# Every authenticated call can be refused for its token (401) or its rate (429).
ALWAYS = (401, 429)
# What a write's body can add: unreadable JSON (400), too large (413), invalid (422).
BODY = (400, 413, 422)


def responses(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    """An operation's responses: its successes, then problem details for 401, 429 and `codes`."""
    return {**ok, **dict.fromkeys(sorted({*ALWAYS, *codes}), ProblemDetails)}


def caller(request: HttpRequest) -> User:
    """The person the request's token names (the API answers only requests with a token)."""
    return cast(User, request.user)


def project_or_404(request: HttpRequest, project_id: int, need: Level = Level.VIEW) -> tuple[Project, Level]:
    """The project as the pages load it: 404 if the caller may not see it, 403 if they may see it but
    not do this (`openqi.projects.access`)."""
    return project_for_user(request.user, project_id, need)


def page_url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    """The address of the page in OpenQI that shows the same thing, for people following up by hand."""
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


# The guard's warning tells a person to tick a box; a program sends the field instead.
API_WARN_MESSAGE = (
    "Some of your answers may identify a patient. Remove the details, or if they do not identify anyone, "
    f"send {CONFIRM_FIELD}: true with the same answers."
)


def form_problem(form: forms.BaseForm, detail: str, *, names: dict[str, str] | None = None) -> Problem:
    """A page form's errors as a 422 problem: the same checks and words as the page, each error on the
    API's name for its field (`names` maps form fields to API fields)."""
    names = names or {}
    errors = []
    for name, messages in form.errors.items():
        field = None if name == "__all__" else names.get(name, name)
        for message in messages:
            text = str(message)
            errors.append(FieldError(field=field, message=API_WARN_MESSAGE if text == WARN_MESSAGE else text))
    return invalid(detail, errors)


class Ref(Out):
    id: int
    name: str


class Choice(Out):
    """A coded value and its words, e.g. {"code": "active", "label": "Active"}."""

    code: str
    label: str


class PersonRef(Out):
    id: int
    name: str


def person_ref(user: Any) -> PersonRef | None:
    return PersonRef(id=user.pk, name=user.display_name) if user is not None else None


LEVEL_NAMES = {Level.VIEW: "view", Level.EDIT: "edit", Level.ADMIN: "admin"}
