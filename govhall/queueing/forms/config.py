"""The office's queue forms: a category (业务类别) and the queue settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import ServiceItem
from govhall.core.worktime import DayHours
from govhall.org.models import Center, Unit, Window


class CategoryForm(forms.Form):
    code = forms.CharField(
        label=_("Letter"),
        max_length=2,
        help_text=_("One or two letters the numbers carry: A, B …"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "short"}),
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    units = forms.ModelMultipleChoiceField(
        label=_("Units covered"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Items covered"),
        queryset=ServiceItem.objects.none(),
        required=False,
        help_text=_("Optional: for a category of a few items rather than whole units."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    windows = forms.ModelMultipleChoiceField(
        label=_("Windows serving it"),
        queryset=Window.objects.none(),
        required=False,
        help_text=_("A combined window (综合窗口) may serve several categories."),
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.IntegerField(label=_("Display order"), min_value=0, max_value=32767)
    is_active = forms.BooleanField(
        label=_("Active (numbers can be taken)"), required=False, initial=True
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(center=center, is_active=True)  # type: ignore[attr-defined]
        self.fields["items"].queryset = ServiceItem.objects.filter(center=center).select_related(  # type: ignore[attr-defined]
            "unit"
        )
        self.fields["windows"].queryset = Window.objects.filter(  # type: ignore[attr-defined]
            center=center, is_active=True
        ).select_related("unit")

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class SettingsForm(forms.Form):
    ticketing_opens = forms.TimeField(
        label=_("Ticketing opens"),
        required=False,
        help_text=_("Empty: when the hall opens in the morning."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ticketing_closes = forms.TimeField(
        label=_("Ticketing closes"),
        required=False,
        help_text=_("Empty: when the hall closes in the afternoon."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    skip_back_places = forms.IntegerField(
        label=_("Places a missed number goes back"), min_value=0, max_value=50
    )
    max_skips = forms.IntegerField(
        label=_("Missed calls before a number is dropped"), min_value=0, max_value=10
    )
    wait_limit_minutes = forms.IntegerField(
        label=_("Longest acceptable wait (minutes)"), min_value=1, max_value=480
    )
    idle_minutes = forms.IntegerField(
        label=_("Minutes without a call that make an idle window"), min_value=1, max_value=240
    )
    late_opening_minutes = forms.IntegerField(
        label=_("Minutes after opening a first call counts as late"), min_value=1, max_value=240
    )
    minutes_per_ticket = forms.IntegerField(
        label=_("Expected minutes per applicant"), min_value=1, max_value=240
    )

    def __init__(self, *args: Any, hours: DayHours, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hours = hours

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("ticketing_opens"), data.get("ticketing_closes")
        start, end = self.hours.morning_start, self.hours.afternoon_end
        span = "{}–{}".format(start.strftime("%H:%M"), end.strftime("%H:%M"))
        if opens and not start <= opens < end:
            self.add_error(
                "ticketing_opens",
                gettext("Ticketing opens must be within the hall's hours ({span}).").format(
                    span=span
                ),
            )
        if closes and not start < closes <= end:
            self.add_error(
                "ticketing_closes",
                gettext("Ticketing closes must be within the hall's hours ({span}).").format(
                    span=span
                ),
            )
        if opens and closes and closes <= opens:
            self.add_error("ticketing_closes", gettext("Ticketing must close after it opens."))
        return data
