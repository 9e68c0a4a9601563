"""Documents made from pages: PDF from HTML with WeasyPrint (docs/adr/0019-documents-and-calendars.md).

Every PDF OpenQI makes (sponsor updates, claim forms, certificates, forum packs, storyboards, printable
tools) goes through `pdf_from_html`, so that one rule holds for all of them: the renderer fetches nothing.
Styles are inline (<style>), pictures are embedded as `data:` URIs (charts as SVG or PNG), so a link that a
person typed into a record can never make the server fetch it, nor read a file.
"""

from __future__ import annotations

PDF_MEDIA_TYPE = "application/pdf"
PPTX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def pdf_from_html(html: str) -> bytes:
    """The PDF of a complete HTML document with its own <style> (@page rules set the paper, e.g.
    `@page { size: A4 landscape }`). Anything but a `data:` URI is refused, and left out of the PDF."""
    import weasyprint  # imported when needed: loading pango costs time every process would otherwise pay
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    return weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()  # type: ignore[no-any-return]
