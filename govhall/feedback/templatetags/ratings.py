"""好差评 on other apps' pages: a case page shows its rating, a receipt the QR code to rate it.

Cases are rated, so feedback depends on cases and never the other way round; the case pages
reach the ratings through these tags (`{% load ratings %}`).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from govhall.core.qr import public_url, qr_svg
from govhall.feedback.models import Rating
from govhall.feedback.selectors import rating_of_case
from govhall.feedback.tokens import rating_path

register = template.Library()


@register.simple_tag
def case_rating(case: Any) -> Rating | None:
    """{% case_rating case as rating %}: the case's rating, if it has one."""
    return rating_of_case(case)


@register.inclusion_tag("feedback/_rate_link.html", takes_context=True)
def rate_link(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """{% rate_link case %}: the address and QR code where the applicant rates the service."""
    url = public_url(context["request"], rating_path(case))
    return {"rating_url": url, "rating_qr": qr_svg(url, title=_("Rate this service"))}
