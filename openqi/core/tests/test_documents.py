"""PDFs are made from HTML without fetching anything."""

from __future__ import annotations

import logging

import pytest

from openqi.core.documents import pdf_from_html

PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_a_pdf_is_made_with_its_embedded_pictures() -> None:
    pdf = pdf_from_html(f"<html><body><h1>Sponsor update</h1><img src='{PIXEL}' alt=''></body></html>")
    assert pdf.startswith(b"%PDF-")
    assert b"/Image" in pdf  # the picture is in the file


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.png", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"]
)
def test_the_renderer_fetches_nothing_else(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = pdf_from_html(f"<img src='{url}' alt=''><link rel='stylesheet' href='{url}'><p>Still made</p>")
    assert pdf.startswith(b"%PDF-") and b"/Image" not in pdf
    assert "disallowed protocol" in caplog.text
