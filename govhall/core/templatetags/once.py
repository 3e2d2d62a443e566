"""`{% once_token %}`: the hidden one-time token of a form that must not create twice."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from govhall.core import once

register = template.Library()


@register.simple_tag
def once_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
