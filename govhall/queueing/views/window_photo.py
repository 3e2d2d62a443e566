"""The photo on a window's public screen: media are served to staff only (org:staff_photo), so
the screen gets the one photo it may show, that of the person on duty at that window now."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from govhall.core.uploads import IMAGES, file_response
from govhall.org.models import Window
from govhall.queueing.selectors.screens import staff_on_duty


@require_GET
@never_cache
def window_photo(request: HttpRequest, window_id: int) -> HttpResponse:
    """The on-duty staff member's photo (no login); nobody else's, whatever is asked."""
    window = get_object_or_404(
        Window.objects.select_related("center"),
        pk=window_id,
        is_active=True,
        center__is_active=True,
    )
    staff = staff_on_duty(window=window, day=timezone.localdate())
    if staff is None or not staff.photo:
        raise Http404
    return file_response(staff.photo, name_parts=(staff.name,), allowed=IMAGES, public=False)
