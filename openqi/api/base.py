"""The base of every response shape."""

from __future__ import annotations

from pydantic import BaseModel


class Out(BaseModel):
    """A response body, or a part of one. Plain pydantic rather than ninja's `Schema`: endpoints build
    responses from values and dicts, never hand over model instances, so ninja's hook for reading model
    attributes (run for every nested object: a 100-point analysis is hundreds) is cost without use."""
