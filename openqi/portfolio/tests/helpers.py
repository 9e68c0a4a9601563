"""Opening what the portfolio makes: PDFs with pypdf, slides with python-pptx."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader


def pdf_pages(data: bytes) -> tuple[int, str, tuple[float, float]]:
    """(page count, all text, first page size in points)."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    box = reader.pages[0].mediabox
    return len(reader.pages), text, (float(box.width), float(box.height))


def pdf_images(data: bytes) -> int:
    reader = PdfReader(io.BytesIO(data))
    count = 0
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
        count += len(xobjects.get_object()) if xobjects else 0
    return count


def slides(data: bytes) -> tuple[int, str, int]:
    """(slide count, all text, pictures)."""
    deck = Presentation(io.BytesIO(data))
    texts, pictures = [], 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
                assert shape.image.blob.startswith(b"\x89PNG")
    return len(deck.slides), "\n".join(texts), pictures
