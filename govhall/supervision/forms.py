"""Forms of the supervision pages; rules live in services, forms only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.supervision.services import MAX_TEXT, MAX_YELLOW_DAYS


class SuperviseForm(forms.Form):
    note = forms.CharField(
        label=_("Supervision note (督办意见)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the unit is asked to do, and by when."),
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the appeal"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the card is unjust: e.g. the applicant asked for the delay in writing."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Optional: a PDF, photo (JPEG/PNG) or Word document backing the reason."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,application/pdf,image/*"}
        ),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: cancel the card")),
            ("reject", _("Reject: the card stands")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting."),
    )


class SettingsForm(forms.Form):
    yellow_days = forms.IntegerField(
        label=_("Yellow card threshold (working days)"),
        min_value=0,
        max_value=MAX_YELLOW_DAYS,
        help_text=_(
            "A case gets a yellow card on its deadline day and on this many working days before it."
        ),
    )
