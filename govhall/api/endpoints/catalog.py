"""The public catalog: published items of a center and their eight-part guides (no login)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from govhall.api import present, selectors
from govhall.api.endpoints.common import responses
from govhall.api.errors import not_found
from govhall.api.schemas import MAX_ID, CenterOut, ItemDetail, ItemPage, ItemQuery
from govhall.org.models import Center

router = Router(tags=["catalog"], auth=None)


def _center(center_id: int) -> Center:
    center = Center.objects.filter(pk=center_id, is_active=True).first()
    if center is None:
        raise not_found(_("No service center has this id."))
    return center


@router.get("/centers", response=responses(list[CenterOut], 429), summary="Service centers")
def center_list(request: HttpRequest) -> Any:
    """The active service centers, whose catalogs can be read here."""
    return [{"id": c.pk, "name": c.name} for c in Center.objects.filter(is_active=True)]


@router.get(
    "/centers/{center_id}/items",
    response=responses(ItemPage, 400, 404, 429),
    summary="Published items of a center",
)
def item_list(
    request: HttpRequest,
    filters: Query[ItemQuery],
    center_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """Search by `q` (Chinese words, full pinyin or initials: best match first) or browse in
    pinyin order; `next_cursor` fetches the following page."""
    center = _center(center_id)
    page = selectors.item_page(
        center=center,
        q=filters.q,
        unit_id=filters.unit,
        cursor=filters.cursor,
        size=filters.limit,
    )
    return {
        "results": [present.item_summary(item) for item in page.rows],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/centers/{center_id}/items/{item_id}",
    response=responses(ItemDetail, 400, 404, 429),
    summary="One item's guide",
)
def item_detail(
    request: HttpRequest,
    center_id: int = Path(..., ge=1, le=MAX_ID),
    item_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    """The published version's eight parts: basic information, flowchart, materials, fees,
    forms, handling steps, integrity risk points and FAQs."""
    item = selectors.item_detail(center=_center(center_id), pk=item_id)
    if item is None:
        raise not_found(_("No published item has this id in this center."))
    return present.item_detail(item, absolute=request.build_absolute_uri)
