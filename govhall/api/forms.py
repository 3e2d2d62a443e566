from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ClientForm(forms.Form):
    name = forms.CharField(
        label=_("System name"),
        max_length=100,
        help_text=_("The system that will call the API, e.g. 省政务服务网."),
    )
    can_write = forms.BooleanField(
        label=_("May write"),
        required=False,
        help_text=_("Receive and move cases, log consultations. Leave off for read-only."),
    )
