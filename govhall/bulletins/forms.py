"""Forms of the bulletin pages: views parse with these, services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

MONTH_INPUT = forms.TextInput(attrs={"type": "month", "placeholder": "2016-12"})


class MonthField(forms.CharField):
    """YYYY-MM → the month's first day."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def to_python(self, value: str | None) -> dt.date | None:  # type: ignore[override]
        value = (value or "").strip()
        if not value:
            return None
        try:
            year, number = (int(part) for part in value.split("-"))
            return dt.date(year, number, 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulletinCreateForm(forms.Form):
    month = MonthField(label=_("Month reported"), widget=MONTH_INPUT)
    number = forms.IntegerField(
        label=_("Issue number"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Empty: the next number of the year."),
    )


class BulletinEditForm(forms.Form):
    number = forms.IntegerField(label=_("Issue number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=100)
    issued_on = forms.DateField(
        label=_("Date of issue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the day of publishing."),
    )
    intro = forms.CharField(
        label=_("Opening paragraph"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=_("三、存在问题 (problems)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One numbered point per line, e.g. 1.AB角制度落实不到位。…"),
    )
    plans = forms.CharField(
        label=_("四、下步工作打算及要求 (next steps)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One numbered point per line."),
    )
    copy_to = forms.CharField(label=_("Copied to (抄送)"), required=False, max_length=300)
