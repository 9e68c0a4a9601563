"""Server-side charts for run, SPC and Making Data Count results: SVG, PNG, text and data table.

    from openqi_spc.render import spec_from_mdc, render_svg, render_png, summarise, data_table_rows
    spec = spec_from_mdc(mdc(values, x=dates, target=60), title="Completion rate", percent=True)
    svg = render_svg(spec)            # standalone, accessible SVG string (inline in HTML or a file)
    png = render_png(svg)             # PNG bytes at 2x for slides and PDFs
    figure = render_paper(spec, size="slide", headline=summarise(...)[0])  # chart + key + words

Plain Python (no Django import), so reports and notebooks draw the same charts as the web app.
"""

from openqi_spc.render.model import Annotation, ChartSpec, PointStatus, spec_from_mdc, spec_from_qic
from openqi_spc.render.paper import PAPER_SIZES, Badge, render_paper
from openqi_spc.render.png import render_png
from openqi_spc.render.summary import TableRow, data_table_headers, data_table_rows, summarise
from openqi_spc.render.svg import render_svg

__all__ = [
    "PAPER_SIZES",
    "Annotation",
    "Badge",
    "ChartSpec",
    "PointStatus",
    "TableRow",
    "data_table_headers",
    "data_table_rows",
    "render_paper",
    "render_png",
    "render_svg",
    "spec_from_mdc",
    "spec_from_qic",
    "summarise",
]
