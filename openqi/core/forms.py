"""Render Django form fields as NHS.UK design-system components.

One way to render a field: `{{ field(form["name"]) }}` in a template picks the matching NHS.UK macro
(input, textarea, select, radios, checkboxes) and passes label, hint, value and error message, so every
form in OpenQI gets the design system's error styling and accessible markup for free.
"""

from __future__ import annotations

from typing import Any

from django import forms
from jinja2 import Environment
from markupsafe import Markup

_env: Environment | None = None


def bind(env: Environment) -> None:
    global _env
    _env = env


def _macro(component: str, name: str) -> Any:
    assert _env is not None, "Jinja environment not bound"
    return getattr(_env.get_template(f"nhsuk/components/{component}/macro.jinja").module, name)


def _error(bound: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None


def _choices(bound: forms.BoundField, selected: set[str]) -> list[dict[str, Any]]:
    items = []
    for value, label in bound.field.choices:  # type: ignore[attr-defined]
        value = "" if value is None else str(value)
        items.append(
            {"value": value, "text": str(label), "checked": value in selected, "selected": value in selected}
        )
    return items


def field(bound: forms.BoundField, **params: Any) -> Markup:
    """Render one bound field; keyword arguments override the NHS.UK macro parameters."""
    widget = bound.field.widget
    label_text = str(bound.label)
    hint = {"text": str(bound.help_text)} if bound.help_text else None
    value = bound.value()
    common: dict[str, Any] = {
        "id": bound.auto_id or bound.html_name,
        "name": bound.html_name,
        "hint": hint,
        "errorMessage": _error(bound),
    }
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        is_multi = isinstance(widget, forms.CheckboxSelectMultiple)
        common.update(
            {
                "idPrefix": common.pop("id"),
                "fieldset": {"legend": {"text": label_text, "classes": "nhsuk-fieldset__legend--s"}},
                "items": _choices(bound, selected),
            }
        )
        common.update(params)
        return Markup(
            _macro("checkboxes" if is_multi else "radios", "checkboxes" if is_multi else "radios")(common)
        )
    if isinstance(widget, forms.CheckboxInput):
        common.update(
            {
                "idPrefix": common.pop("id"),
                "items": [{"value": "on", "text": label_text, "checked": bool(value), "hint": hint}],
                "hint": None,
            }
        )
        common.update(params)
        return Markup(_macro("checkboxes", "checkboxes")(common))
    common["label"] = {"text": label_text}
    if isinstance(widget, forms.Select):
        selected = {str(value)} if value not in (None, "") else set()
        common["items"] = _choices(bound, selected)
        common.update(params)
        return Markup(_macro("select", "select")(common))
    if isinstance(widget, forms.Textarea):
        common["value"] = value or ""
        common["rows"] = widget.attrs.get("rows", 5)
        common.update(params)
        return Markup(_macro("textarea", "textarea")(common))
    input_type = getattr(widget, "input_type", "text")
    common["type"] = input_type
    common["value"] = "" if value is None or input_type == "file" else value
    attributes = {k: v for k, v in widget.attrs.items() if k in {"autocomplete", "inputmode", "spellcheck"}}
    if attributes:
        common["attributes"] = attributes
    if "autocomplete" in widget.attrs:
        common["autocomplete"] = widget.attrs["autocomplete"]
    common.update(params)
    if input_type == "file":
        return Markup(_macro("file-upload", "fileUpload")(common))
    return Markup(_macro("input", "input")(common))


def error_summary(*forms_: forms.BaseForm | None) -> Markup:
    """The NHS.UK error summary for one or more forms, linking each message to its field."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for name, errors in form.errors.items():
            if name == "__all__":
                items.extend({"text": str(e)} for e in errors)
                continue
            bound = form[name]
            # NHS.UK radios/checkboxes give the first item the prefix itself as id, so one anchor fits all.
            anchor = bound.auto_id or name
            items.extend({"text": str(e), "href": f"#{anchor}"} for e in errors)
    if not items:
        return Markup("")
    return Markup(
        _macro("error-summary", "errorSummary")({"titleText": "There is a problem", "errorList": items})
    )
