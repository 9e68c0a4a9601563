"""SVG and PNG of a result with the web app's chart renderer (openqi_spc.render), so a notebook's chart is
the web app's chart. The renderer is imported at call time: ``import openqi_spc`` stays as light as NumPy.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openqi_spc.mdc import MDCResult
    from openqi_spc.results import QicResult

SPEC_OPTIONS = frozenset(
    {
        "x_labels",
        "y_label",
        "unit",
        "percent",
        "scale",
        "decimals",
        "period",
        "target",
        "trajectory",
        "annotations",
        "description",
        "improvement",
        "baseline_end",
        "excluded",
    }
)


def renderer() -> ModuleType:
    """The chart renderer (openqi_spc.render), imported on first use."""
    return importlib.import_module("openqi_spc.render")


def spec_of(result: QicResult | MDCResult, title: str, style: str | None, options: dict[str, Any]) -> Any:
    from openqi_spc.mdc import MDCResult

    render = renderer()
    if isinstance(result, MDCResult):
        options.pop("improvement", None)
        spec = render.spec_from_mdc(result, title=title, **options)
        spec.style = style or "mdc"
    else:
        spec = render.spec_from_qic(result, title=title, **options)
        spec.style = style or "qicharts2"
    return spec


def to_svg(
    result: QicResult | MDCResult,
    *,
    title: str = "",
    style: str | None = None,
    width: int = 720,
    height: int = 360,
    **options: Any,
) -> str:
    """The chart as a standalone, accessible SVG string, exactly as the web app draws it.

    ``options`` go to the spec builder (``y_label``, ``unit``, ``percent``, ``target``, ``annotations`` as
    ``(point, number, text)``...) or to the renderer (``compact``, ``show_legend``, ``font_size``...).
    """
    spec_options = {k: v for k, v in options.items() if k in SPEC_OPTIONS}
    draw_options = {k: v for k, v in options.items() if k not in SPEC_OPTIONS}
    spec = spec_of(result, title or _default_title(result), style, spec_options)
    svg: str = renderer().render_svg(spec, width, height, **draw_options)
    return svg


def to_png(result: QicResult | MDCResult, *, scale: float = 2, **options: Any) -> bytes:
    """PNG bytes of :func:`to_svg` (the renderer's PNG needs resvg-py: ``pip install 'openqi-spc[png]'``)."""
    png: bytes = renderer().render_png(to_svg(result, **options), scale)
    return png


def _default_title(result: QicResult | MDCResult) -> str:
    chart = result.chart
    return "XmR chart" if chart == "xmr" else "Run chart" if chart == "run" else f"{chart.upper()} chart"
