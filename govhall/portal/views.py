"""The public kiosk and the center's public web pages (no login).

The hall's touch screen and a citizen's phone read the same pages: a home screen with browse
tiles and a search box, lists of items, each item's eight-part guide, and printable versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from govhall.catalog.choices import Category, FeeMode, HandlingType, ItemStatus, Target
from govhall.catalog.files import FLOWCHART, public_file
from govhall.catalog.flowchart import StepBox, flowchart_svg
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.catalog.search import normalize_query, public_items, search_items
from govhall.core.calendar import get_calendar
from govhall.core.qr import public_url, qr_svg
from govhall.core.text import chinese_date
from govhall.core.uploads import file_response
from govhall.org.models import Center, Unit, Window
from govhall.portal.guide import days_text, expected_completion

PAGE_SIZE = 20
CENTER_COOKIE = "kiosk_center"
ELDERLY_COOKIE = "kiosk_elderly"
COOKIE_AGE = 365 * 24 * 3600
PARTS = ("materials", "fee_lines", "forms", "steps", "risks", "faqs")
TARGETS = {"person": Target.PERSON, "org": Target.ORG}


# --- the kiosk's state: which center, which mode --------------------------------------------


@dataclass(frozen=True)
class Kiosk:
    """Who is reading: the center (`?center=`, else the cookie, else the first) and the mode."""

    center: Center
    centers: list[Center]
    elderly: bool
    chosen_now: bool  # `?center=` named a center: remember it


def _kiosk(request: HttpRequest) -> Kiosk:
    centers = list(Center.objects.filter(is_active=True))
    if not centers:
        raise Http404(_("No service center is open yet."))
    by_id = {str(c.pk): c for c in centers}
    asked = request.GET.get("center", "")
    # Without a choice, the center set up first (a city hosting its counties set up its own).
    first = min(centers, key=lambda c: c.pk)
    center = by_id.get(asked) or by_id.get(request.COOKIES.get(CENTER_COOKIE, "")) or first
    return Kiosk(
        center=center,
        centers=centers,
        elderly=request.COOKIES.get(ELDERLY_COOKIE) == "1",
        chosen_now=asked in by_id,
    )


def _cookie_options() -> dict[str, Any]:
    return {
        "max_age": COOKIE_AGE,
        "samesite": "Lax",
        "httponly": True,
        "secure": settings.SESSION_COOKIE_SECURE,
    }


def _render(
    request: HttpRequest,
    kiosk: Kiosk,
    template: str,
    context: dict[str, Any],
    *,
    idle_return: bool = True,
) -> HttpResponse:
    context = {
        "kiosk": kiosk,
        "center": kiosk.center,
        # base.html titles pages with the current center; a logged-in clerk's own center
        # must not replace the kiosk's.
        "current_center": kiosk.center,
        "calendar_warnings": [],  # the office's reminder is not for the public
        "elderly": kiosk.elderly,
        "idle_seconds": kiosk.center.kiosk_idle_seconds if idle_return else 0,
        **context,
    }
    response = render(request, template, context)
    if kiosk.chosen_now:
        response.set_cookie(CENTER_COOKIE, str(kiosk.center.pk), **_cookie_options())
    return response


def _page(request: HttpRequest, items: QuerySet[ServiceItem]) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _listing(items: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    """What a list row shows: the unit and the published version's limits."""
    return items.select_related("unit", "current")


# --- browse tiles ---------------------------------------------------------------------------


def _units(center: Center, *, windows: bool = False) -> list[Unit]:
    """The center's active units with their number of public items (and their windows)."""
    public = Q(items__status=ItemStatus.PUBLISHED, items__current__isnull=False)
    units = (
        Unit.objects.filter(center=center, is_active=True)
        .annotate(item_count=Count("items", filter=public))
        .order_by("position", "sort_key")
    )
    if windows:
        units = units.prefetch_related(
            Prefetch("windows", queryset=Window.objects.filter(is_active=True))
        )
    return list(units)


def _category_tiles(center: Center) -> list[dict[str, Any]]:
    counts = dict(
        public_items(center=center)
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
        .order_by()
    )
    return [
        {"code": code, "label": label, "count": counts[code]}
        for code, label in Category.choices
        if counts.get(code)
    ]


def _target_tiles(center: Center) -> list[dict[str, Any]]:
    counts = public_items(center=center).aggregate(
        person=Count("id", filter=Q(target__in=[Target.PERSON, Target.BOTH])),
        org=Count("id", filter=Q(target__in=[Target.ORG, Target.BOTH])),
    )
    return [
        {"target": "person", "label": _("For individuals"), "count": counts["person"]},
        {"target": "org", "label": _("For companies and organizations"), "count": counts["org"]},
    ]


def _browse(center: Center, *, directory: bool = False) -> dict[str, Any]:
    units = _units(center, windows=directory)
    context = {
        "units": [u for u in units if u.item_count],  # a tile leading nowhere frustrates
        "categories": _category_tiles(center),
        "targets": _target_tiles(center),
    }
    if directory:
        context["directory"] = [u for u in units if u.windows.all()]
    return context


# --- pages ----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The touch screen's home: search box, browse tiles (by unit, by category, 个人/法人) and
    where each department's windows are in the hall."""
    kiosk = _kiosk(request)
    context = _browse(kiosk.center, directory=True)
    return _render(request, kiosk, "portal/home.html", context, idle_return=False)


def search(request: HttpRequest) -> HttpResponse:
    """Items by Chinese words, full pinyin or initials; an empty query shows the browse tiles."""
    kiosk = _kiosk(request)
    q = normalize_query(request.GET.get("q"))
    context: dict[str, Any] = {"q": q}
    if q:
        page = _page(request, _listing(search_items(center=kiosk.center, q=q)))
        context["page"] = page
        if not page.object_list:
            context.update(_browse(kiosk.center))
    else:
        context.update(_browse(kiosk.center))
    return _render(request, kiosk, "portal/search.html", context)


def unit_items(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's public items, with where its windows are."""
    kiosk = _kiosk(request)
    unit = get_object_or_404(
        Unit.objects.prefetch_related(
            Prefetch("windows", queryset=Window.objects.filter(is_active=True))
        ),
        pk=unit_id,
        center=kiosk.center,
        is_active=True,
    )
    items = _listing(public_items(center=kiosk.center).filter(unit=unit)).order_by("sort_key", "pk")
    context = {"title": unit.name, "unit": unit, "page": _page(request, items), "show_unit": False}
    return _render(request, kiosk, "portal/item_list.html", context)


def category_items(request: HttpRequest, code: str) -> HttpResponse:
    """The public items of one category (事项类型)."""
    kiosk = _kiosk(request)
    if code not in Category.values:
        raise Http404(_("No such category."))
    items = _listing(public_items(center=kiosk.center).filter(category=code)).order_by(
        "unit__position", "sort_key", "pk"
    )
    context = {"title": Category(code).label, "page": _page(request, items), "show_unit": True}
    return _render(request, kiosk, "portal/item_list.html", context)


def target_items(request: HttpRequest, target: str) -> HttpResponse:
    """个人办事 / 法人办事: items serving that kind of applicant (items serving both are in each)."""
    kiosk = _kiosk(request)
    if target not in TARGETS:
        raise Http404(_("No such kind of applicant."))
    items = _listing(
        public_items(center=kiosk.center).filter(target__in=[TARGETS[target], Target.BOTH])
    ).order_by("unit__position", "sort_key", "pk")
    title = _("For individuals") if target == "person" else _("For companies and organizations")
    context = {"title": title, "page": _page(request, items), "show_unit": True}
    return _render(request, kiosk, "portal/item_list.html", context)


def _public_item(kiosk: Kiosk, item_id: int, parts: tuple[str, ...] = PARTS) -> ServiceItem:
    """One public item of the kiosk's center, its published version and the parts asked for."""
    prefetch: list[Any] = [f"current__{part}" for part in parts]
    prefetch.append(Prefetch("unit__windows", queryset=Window.objects.filter(is_active=True)))
    return get_object_or_404(
        public_items(center=kiosk.center)
        .select_related("center", "unit", "current")
        .prefetch_related(*prefetch),
        pk=item_id,
    )


def _flowchart(item: ServiceItem, version: ItemVersion) -> dict[str, Any]:
    if version.flowchart_image:
        url = reverse("portal:item_file", args=[item.pk, FLOWCHART, version.pk])
        return {"flowchart_image": url}
    steps = [StepBox(s.name, s.role, s.limit_days) for s in version.steps.all()]
    return {"flowchart_svg": flowchart_svg(steps, version.name)}


def _guide_context(request: HttpRequest, kiosk: Kiosk, item: ServiceItem) -> dict[str, Any]:
    version = item.current
    if version is None:  # public_items() has a published version; a race may still remove it
        raise Http404
    today = timezone.localdate()
    due = expected_completion(
        get_calendar(item.center_id), today, version.handling_type, version.promised_days
    )
    item_path = "{}?center={}".format(reverse("portal:item", args=[item.pk]), kiosk.center.pk)
    page_url = public_url(request, item_path)
    return {
        "item": item,
        "version": version,
        "windows": list(item.unit.windows.all()),
        "is_immediate": version.handling_type == HandlingType.IMMEDIATE,
        "legal_days": days_text(version.legal_days),
        "promised_days": days_text(version.promised_days),
        "today": today,
        "today_text": chinese_date(today),
        "due": due,
        "due_text": chinese_date(due),
        "fees_free": version.fee_mode == FeeMode.FREE,
        "fees_charged": version.fee_mode == FeeMode.CHARGED,
        "page_url": page_url,
        "qr_svg": qr_svg(page_url, title=_("Open this guide on your phone"), scale=4),
        **_flowchart(item, version),
    }


def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item's eight-part guide, with the expected completion date and a QR code."""
    kiosk = _kiosk(request)
    item = _public_item(kiosk, item_id)
    return _render(request, kiosk, "portal/item.html", _guide_context(request, kiosk, item))


def item_guide(request: HttpRequest, item_id: int) -> HttpResponse:
    """The printable 服务指南: all eight parts on A4, dated, with the QR code."""
    kiosk = _kiosk(request)
    item = _public_item(kiosk, item_id)
    return _render(request, kiosk, "portal/guide.html", _guide_context(request, kiosk, item))


def item_checklist(request: HttpRequest, item_id: int) -> HttpResponse:
    """The printable 材料清单: what to bring, with boxes to tick."""
    kiosk = _kiosk(request)
    item = _public_item(kiosk, item_id, parts=("materials",))
    today = timezone.localdate()
    context = {
        "item": item,
        "version": item.current,
        "windows": list(item.unit.windows.all()),
        "today_text": chinese_date(today),
    }
    return _render(request, kiosk, "portal/checklist.html", context)


def item_file(request: HttpRequest, item_id: int, kind: str, pk: int) -> FileResponse:
    """A blank form, filled-in sample, service form or flowchart image of a published item's
    current version (any open center: the address names the item, a phone may lack the cookie)."""
    found = public_file(item_id=item_id, kind=kind, pk=pk)
    if found is None:
        raise Http404
    return file_response(
        found.file, name_parts=found.name_parts, allowed=found.allowed, public=True
    )


def elderly_mode(request: HttpRequest) -> HttpResponse:
    """Turn the elderly-friendly mode (larger text, higher contrast) on or off, then go back.

    A link rather than a form: setting a display preference is idempotent, and a kiosk left
    running for weeks must not fail on an expired CSRF token.
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(ELDERLY_COOKIE, "1", **_cookie_options())
    else:
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    return response
