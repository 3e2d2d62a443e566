"""The hall's queue screens (no login, no personal data): the calling display with its spoken
call, the screen above each window, and the big screen of the day (大厅大屏).

Like the kiosk, a screen shows the center named by `?center=`, else the kiosk's remembered one,
else the first one set up; a window's screen belongs to the window's center.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from govhall.core.text import chinese_date
from govhall.org.models import Center, Window
from govhall.queueing import speech
from govhall.queueing.selectors import screens

# The kiosk remembers the center chosen on its screen in this cookie (govhall.portal).
KIOSK_CENTER_COOKIE = "kiosk_center"
# How often the screens ask for new calls: a call shows (and sounds) within a second.
POLL_MS = 500
# Ten screens polling twice a second mostly ask the same question (the calls after the newest
# one): each process answers it from memory for this long. Short enough to keep "within 1 s".
FEED_MEMO_SECONDS = 0.25
_feed_memo: dict[tuple[int, int], tuple[float, dict[str, Any]]] = {}


def _center(request: HttpRequest) -> Center:
    """`?center=`, else the kiosk's, else the first center set up."""
    centers = {str(c.pk): c for c in Center.objects.filter(is_active=True).order_by("pk")}
    if not centers:
        raise Http404(_("No service center is open yet."))
    asked = request.GET.get("center") or request.COOKIES.get(KIOSK_CENTER_COOKIE, "")
    return centers.get(asked) or next(iter(centers.values()))


def _center_id(request: HttpRequest) -> int:
    """The feed's center without a query when the screen names it (it always does)."""
    asked = request.GET.get("center", "")
    return int(asked) if asked.isdigit() and len(asked) < 10 else _center(request).pk


def _after(request: HttpRequest) -> int:
    value = request.GET.get("after", "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _screen(request: HttpRequest, template: str, center: Center, **context: Any) -> HttpResponse:
    context = {
        "center": center,
        # base.html titles pages with the current center; a clerk's own must not replace it.
        "current_center": center,
        "calendar_warnings": [],  # the office's reminders are not for the public
        "poll_ms": POLL_MS,
        "today": chinese_date(timezone.localdate()),
        **context,
    }
    return render(request, template, context)


@require_GET
@never_cache
def hall_screen(request: HttpRequest) -> HttpResponse:
    """The calling display: the last calls (newest first, the newest large), the numbers waiting
    per category, the clock; each call spoken once the screen's sound is switched on."""
    center = _center(request)
    calls = screens.screen_calls(center_id=center.pk)
    waiting = screens.waiting_by_category(center_id=center.pk, day=timezone.localdate())
    return _screen(
        request,
        "queueing/screens/hall.html",
        center,
        calls=calls,
        waiting=waiting,
        last_call_id=calls[0].id if calls else 0,
    )


@require_GET
@never_cache
def screen_feed(request: HttpRequest) -> JsonResponse:
    """What the screens poll: calls after `after` (newest first) and the numbers waiting."""
    center_id = _center_id(request)
    after = _after(request)
    key = (center_id, after)
    keep = getattr(settings, "QUEUE_FEED_MEMO_SECONDS", FEED_MEMO_SECONDS)
    moment = time.monotonic()
    kept = _feed_memo.get(key) if keep > 0 else None
    if kept is not None and moment < kept[0]:
        return JsonResponse(kept[1])
    calls = screens.screen_calls(center_id=center_id, after=after)
    waiting = screens.waiting_by_category(center_id=center_id, day=timezone.localdate())
    data = {
        "center": center_id,
        "last": calls[0].id if calls else after,
        "calls": [call.as_json() for call in calls],
        "waiting": [{"code": w.code, "name": w.name, "count": w.count} for w in waiting],
    }
    if keep > 0:
        if len(_feed_memo) > 256:
            _feed_memo.clear()
        _feed_memo[key] = (moment + keep, data)
    return JsonResponse(data)


@require_GET
def announce_wav(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call read aloud as a WAV (espeak-ng, offline); 503 when the server cannot speak, and
    the screen then speaks with the browser's own Chinese voice."""
    center = _center(request)
    call = screens.screen_call(center_id=center.pk, call_id=call_id)
    if call is None:
        raise Http404(_("No such call on this hall's screen."))
    try:
        path = speech.wav_for(call.spoken)
    except speech.SpeechUnavailable:
        response = HttpResponse(
            _("Speech is not available on this server."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "3600"
        return response
    response = FileResponse(path.open("rb"), content_type="audio/wav")
    # A call's words never change: screens may keep the sound.
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- the screen above a window ------------------------------------------------------------


def _window(window_id: int) -> Window:
    return get_object_or_404(
        Window.objects.select_related("unit", "center"),
        pk=window_id,
        is_active=True,
        center__is_active=True,
    )


@require_GET
@never_cache
def window_screen(request: HttpRequest, window_id: int) -> HttpResponse:
    """Above a window: its unit and name, the person on duty, the number being served, or
    暂停服务 with the reason and the window that covers it."""
    window = _window(window_id)
    state = screens.window_screen(window=window, day=timezone.localdate())
    return _screen(request, "queueing/screens/window.html", window.center, state=state)


@require_GET
@never_cache
def window_screen_panel(request: HttpRequest, window_id: int) -> HttpResponse:
    """The window screen's panel alone, which the screen reloads after a call at the window."""
    window = _window(window_id)
    state = screens.window_screen(window=window, day=timezone.localdate())
    return render(request, "queueing/screens/_window_panel.html", {"state": state})


# --- the hall's big screen ------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 600, 260, 24, 28


def _today_context(figures: screens.HallDay) -> dict[str, Any]:
    """The figures and the geometry of their charts (SVG drawn by the template: no script, no
    outside library)."""
    hours = figures.by_hour
    slot = CHART_WIDTH / max(len(hours), 1)
    peak = max((n for _hour, n in hours), default=0) or 1
    room = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    bars = []
    for index, (hour, n) in enumerate(hours):
        h = round(room * n / peak, 1)
        y = CHART_TOP + room - h
        bars.append(
            {
                "label": _("{hour}h").format(hour=hour),
                "value": n,
                "x": round(index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "cx": round(index * slot + slot / 2, 1),
                "y": y,
                "h": h,
                "value_y": round(y - 6, 1),
            }
        )
    rows = [
        {
            "code": c.code,
            "name": c.name,
            "issued": c.issued,
            "served": c.served,
            "waiting": c.waiting,
            "served_percent": round(100 * c.served / c.issued) if c.issued else 0,
        }
        for c in figures.categories
    ]
    return {
        "figures": figures,
        "category_rows": rows,
        "hours_chart": {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "label_y": CHART_HEIGHT - 8,
            "bars": bars,
        },
    }


@require_GET
@never_cache
def today_screen(request: HttpRequest) -> HttpResponse:
    """大厅大屏: the day's numbers, waits, cases, satisfaction and windows."""
    center = _center(request)
    figures = screens.hall_day(center=center, day=timezone.localdate())
    last = screens.screen_calls(center_id=center.pk, limit=1)
    return _screen(
        request,
        "queueing/screens/today.html",
        center,
        last_call_id=last[0].id if last else 0,
        **_today_context(figures),
    )


@require_GET
@never_cache
def today_panel(request: HttpRequest) -> HttpResponse:
    """The big screen's figures alone, reloaded after calls and every few seconds."""
    center = _center(request)
    figures = screens.hall_day(center=center, day=timezone.localdate())
    return render(request, "queueing/screens/_today_panel.html", _today_context(figures))
