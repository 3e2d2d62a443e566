"""`{{ entry.action|audit_action }}`: an audit action code in words."""

from __future__ import annotations

from django import template

from govhall.core.audit_actions import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return action_label(code)
