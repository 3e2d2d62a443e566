"""Read-only figures: the month's bulletin figures and the day's supervision warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from govhall.api.auth import actor_of
from govhall.api.endpoints.common import READ, responses
from govhall.api.errors import ApiError, forbidden
from govhall.api.schemas import (
    CenterOut,
    Day,
    FiguresOut,
    Input,
    MeOut,
    RegionFiguresOut,
    WarningsOut,
)
from govhall.bulletins.selectors import month_document, region_figures
from govhall.core.workdays import FIRST_DATE, LAST_DATE
from govhall.org.scoping import scope_for
from govhall.org.selectors import region_get
from govhall.supervision.selectors import warnings_for_day

router = Router(tags=["reports"])

MONTH = r"^[0-9]{4}-[0-9]{2}$"


@router.get("/me", response=responses(MeOut, 401, 429), summary="Who am I", tags=["auth"])
def me(request: HttpRequest) -> Any:
    """The caller as the API sees it: the center it works in and whether it may write."""
    actor = actor_of(request)
    return {
        "center": CenterOut(id=actor.center.pk, name=actor.center.name),
        "account": actor.user.get_username(),
        "client": actor.client.name if actor.client else None,
        "can_write": actor.can_write,
    }


@router.get(
    "/figures/{month}",
    response=responses(FiguresOut, *READ),
    summary="The month's bulletin figures",
)
def figures(request: HttpRequest, month: str = Path(..., pattern=MONTH)) -> Any:
    """Exactly what `manage.py bulletin YYYY-MM --format json` prints for the caller's center:
    the published issue's figures when there is one, else today's figures for the month."""
    actor = actor_of(request)
    if not actor.user.has_perm("bulletins.view_bulletin"):
        raise forbidden()
    return month_document(center=actor.center, month=_month(month)).figures.as_json()


def _month(month: str) -> dt.date:
    year, number = int(month[:4]), int(month[5:])
    if not (FIRST_DATE.year <= year <= LAST_DATE.year and 1 <= number <= 12):
        message = _("Enter a month as YYYY-MM between {first} and {last}.").format(
            first=f"{FIRST_DATE:%Y-%m}", last=f"{LAST_DATE:%Y-%m}"
        )
        raise ApiError(400, "validation_error", message, fields={"month": message})
    return dt.date(year, number, 1)


@router.get(
    "/regions/{region_id}/figures/{month}",
    response=responses(RegionFiguresOut, *READ, 404),
    summary="A region's month: its centers ranked (区域监管)",
)
def region_month(
    request: HttpRequest, region_id: int, month: str = Path(..., pattern=MONTH)
) -> Any:
    """Every center under the region with the figures of `manage.py bulletin YYYY-MM --region
    NAME --format json`, ranked as printed (on-time rate, then satisfaction, then cases
    accepted), plus each center's rank, vacancies and change on the previous month. Only for
    an account (or a token's system account) holding the regional supervisor's role on the
    region or a region above it; any other caller gets 404."""
    actor = actor_of(request)
    region = region_get(user=actor.user, pk=region_id)
    if region is None:
        raise ApiError(404, "not_found", _("Nothing was found at this address."))
    return region_figures(region=region, month=_month(month)).as_api_json()


class WarningQuery(Input):
    date: Day


@router.get(
    "/warnings",
    response=responses(WarningsOut, *READ),
    summary="Deadline warnings on a day (电子监察)",
)
def warnings(request: HttpRequest, filters: Query[WarningQuery]) -> Any:
    """Open promised cases in yellow or red on `date`, red first — the list `manage.py supervise
    --date D --format json` writes, limited to the units the caller sees. Reading records
    nothing: the daily `supervise` run issues the cards."""
    actor = actor_of(request)
    if not actor.user.has_perm("supervision.view_warning"):
        raise forbidden()
    scope = scope_for(actor.user)
    rows = [
        w
        for w in warnings_for_day(center=actor.center, on=filters.date)
        if scope.sees_unit(actor.center.pk, w.unit_id)
    ]
    return {"date": filters.date, "warnings": [w.as_json() for w in rows]}
