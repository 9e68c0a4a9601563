"""A tool out of OpenQI: SVG and PNG files, an A4-landscape PDF, and the storyboard's items.

`storyboard_items(project)` is what the portfolio's storyboard and poster exports read: the tools the
team ticked "Include in the project's storyboard", each as (title, SVG markup, plain-language summary).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from openqi_spc.render import render_png

from openqi.core.documents import pdf_from_html
from openqi.projects.models import Project
from openqi.tools.models import Tool
from openqi.tools.presenters import ToolView, view_of, with_items


def storyboard_items(project: Project) -> list[tuple[str, str, str]]:
    """(title, svg, summary) of each tool the team chose to include, in the order of the tools page."""
    return [
        (f"{view.kind_label}: {view.tool.title}", view.svg.markup, view.summary)
        for view in (view_of(tool) for tool in with_items(project.tools.filter(include_in_storyboard=True)))
    ]


def svg_file(view: ToolView) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + view.svg.markup).encode("utf-8")


def png_file(view: ToolView) -> bytes:
    return render_png(view.svg.markup, text={"Title": view.svg.title, "Description": view.svg.description})


def pdf_file(view: ToolView) -> bytes:
    """The tool on A4 landscape: title, drawing (embedded, scaled to the page) and summary."""
    html = render_to_string("tools/pdf.jinja", {"view": view})
    return pdf_from_html(html)


def file_name(tool: Tool, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in tool.title.lower()).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"{safe[:60] or 'tool'}.{extension}"
