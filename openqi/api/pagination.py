"""Page-numbered lists with `next` and `previous` links, so a program reads everything by following `next`
until it is null. A page past the end is empty (not an error), which keeps such loops simple."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

MAX_PAGE_SIZE = 100
# Far beyond any real list; keeps the database's OFFSET within range whatever a caller sends.
MAX_PAGE = 100_000


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100).")


PageParams = Query[PageQuery]


@dataclass
class Page:
    count: int
    next: str | None
    previous: str | None
    items: Sequence[Any]

    def out(self, item_out: Callable[[Any], Any]) -> dict[str, Any]:
        """The page as every list endpoint answers: count, links, and each item as `item_out` gives it."""
        return {
            "count": self.count,
            "next": self.next,
            "previous": self.previous,
            "items": [item_out(item) for item in self.items],
        }


def _link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], params: PageQuery) -> Page:
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (params.page - 1) * params.page_size
    shown = list(items[start : start + params.page_size]) if start < count else []
    last = max(1, -(-count // params.page_size))
    return Page(
        count=count,
        next=_link(request, params.page + 1) if params.page < last else None,
        previous=_link(request, min(params.page - 1, last)) if params.page > 1 else None,
        items=shown,
    )
