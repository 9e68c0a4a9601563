"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from openqi.core import forms as form_rendering
from openqi.core.formatting import date_and_time, long_date
from openqi.core.navigation import header_params


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    app_loader = options.pop("loader")
    options.pop("undefined", None)
    # ChainableUndefined is what nhsuk-frontend-jinja's macros are written against.
    env = Environment(  # noqa: S701 -- Django's Jinja2 backend passes autoescape=True in options
        loader=ChoiceLoader([app_loader, PackageLoader("nhsuk_frontend_jinja")]),
        undefined=ChainableUndefined,
        **options,
    )
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": messages.get_messages,
            "field": form_rendering.field,
            "error_summary": form_rendering.error_summary,
            "header_params": header_params,
            # The one date formatter (core.formatting), for templates as for presenters.
            "long_date": long_date,
            "date_and_time": date_and_time,
            "settings": {
                "SSO_ENABLED": settings.SSO_ENABLED,
                "DEBUG": settings.DEBUG,
                "LOGIN_CODE_MINUTES": max(1, settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60),
            },
        }
    )
    form_rendering.bind(env)
    return env
