"""Forms of the staffing pages; rules live in services, forms only parse."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govhall.core.forms import GroupedSelect, filter_by
from govhall.org.selectors import cover_candidates
from govhall.staffing.choices import ApprovalLevel, Half, LeaveKind, PunchKind
from govhall.staffing.rules import MAX_NOTE_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def staff_label(staff: Any) -> str:
    return f"{staff.name}（{staff.unit.name}）"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


def choose_cover(form: forms.Form, staff: Any, colleagues: Any) -> None:
    """The cover (替岗人) is chosen among the person's unit, never the person: filtered here when
    the person is known, by govhall.js as the person is chosen; the service checks either way."""
    cover = form.fields["cover"]
    if staff.count() == 1:
        cover.queryset = cover_candidates(staff=staff.first(), among=colleagues)
        return
    cover.queryset = colleagues
    people = Counter(colleagues.values_list("unit_id", flat=True))
    # A one-person unit is covered from another unit: every colleague is shown for its person.
    person = form.fields["staff"]
    person.widget = GroupedSelect(group=lambda s: s.unit_id if people[s.unit_id] > 1 else "*")
    cover.widget = GroupedSelect(group=lambda s: s.unit_id)
    for field in (person, cover):
        field.widget.choices = field.choices
        field.widget.is_required = field.required
    filter_by(cover, "staff", exclude_parent=True)


class HallHoursForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("of a thing", "Name"), max_length=40, help_text=_("e.g. 夏季作息时间")
    )
    from_month = forms.IntegerField(label=_("From month"), min_value=1, max_value=12)
    from_day = forms.IntegerField(label=_("From day"), min_value=1, max_value=31)
    morning_start = forms.TimeField(label=_("Morning opens"), widget=TIME)
    morning_end = forms.TimeField(label=_("Morning closes"), widget=TIME)
    afternoon_start = forms.TimeField(label=_("Afternoon opens"), widget=TIME)
    afternoon_end = forms.TimeField(label=_("Afternoon closes"), widget=TIME)


class SettingsForm(forms.Form):
    networks = forms.CharField(
        label=_("Hall networks"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Clocking in from one's own page is accepted only from these networks: one per "
            "line, e.g. 192.168.10.0/24. Behind a reverse proxy every request seems to come "
            "from the proxy, so the proxy must pass the client's address on."
        ),
    )
    leaders = forms.ModelMultipleChoiceField(
        label=_("Center leaders"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Office accounts that sign the center leader's step of leave approvals. With none "
            "named, the office signs it."
        ),
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = accounts
        self.fields["leaders"].label_from_instance = lambda u: u.get_full_name() or u.username


class ClockForm(forms.Form):
    kind = forms.ChoiceField(choices=PunchKind.choices)


class PunchForm(forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=PunchKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Time"), widget=TIME)
    note = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Why the office records it, e.g. the terminal was broken."),
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff

    def at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))


LEAVE_MODES = [
    ("days", _("Whole days")),
    ("half", _("Half a day")),
    ("hours", _("Hours")),
]


class LeaveForm(forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=None)
    kind = forms.ChoiceField(label=_("Type of leave"), choices=LeaveKind.choices)
    mode = forms.ChoiceField(
        label=_("Taken in"), choices=LEAVE_MODES, initial="days", widget=forms.RadioSelect
    )
    start_date = forms.DateField(label=_("From (date)"), widget=DATE)
    end_date = forms.DateField(
        label=_("To (date, included)"),
        widget=DATE,
        required=False,
        help_text=_("Whole days only; empty for one day."),
    )
    half = forms.ChoiceField(
        label=_("Which half"), choices=Half.choices, required=False, initial=Half.AM
    )
    start_time = forms.TimeField(label=_("From (time)"), widget=TIME, required=False)
    end_time = forms.TimeField(label=_("To (time)"), widget=TIME, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    cover = StaffChoiceField(
        label=_("Covered by"),
        queryset=None,
        required=False,
        help_text=_("Needed when the backup is away too."),
    )
    note_scan = forms.FileField(
        label=_("Stamped approval note (scan)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB; needed for a leave over 1 day."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, staff: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        choose_cover(self, staff, colleagues)
        if staff.count() == 1:
            self.fields["staff"].initial = staff.first()
            self.fields["staff"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("mode")
        if mode == "half" and not data.get("half"):
            self.add_error("half", _("Choose the morning or the afternoon."))
        if mode == "hours":
            for name in ("start_time", "end_time"):
                if not data.get(name):
                    self.add_error(name, _("Enter the time."))
        return data

    def service_args(self) -> dict[str, Any]:
        """The form's choice of days, a half or hours as leave_request's arguments."""
        data = self.cleaned_data
        start = data["start_date"]
        args: dict[str, Any] = {"kind": data["kind"], "start_date": start, "reason": data["reason"]}
        if data["mode"] == "hours":
            args.update(span="hours", start_time=data["start_time"], end_time=data["end_time"])
        elif data["mode"] == "half":
            args.update(end_date=start, start_half=data["half"], end_half=data["half"])
        else:
            args.update(end_date=data.get("end_date") or start)
        return args


class NoteForm(forms.Form):
    note_scan = forms.FileField(
        label=_("Stamped approval note (scan)"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        max_length=200,
    )

    def clean_note_scan(self) -> Any:
        upload = self.cleaned_data["note_scan"]
        if upload.size > MAX_NOTE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ApproveForm(forms.Form):
    cover = StaffChoiceField(
        label=_("Covered by"),
        queryset=None,
        required=False,
        help_text=_("Required when the leave would leave a post with nobody at it."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, colleagues: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cover"].queryset = (
            colleagues if staff is None else cover_candidates(staff=staff, among=colleagues)
        )


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ShortenForm(forms.Form):
    end_date = forms.DateField(label=_("Last day of leave"), widget=DATE)
    end_half = forms.ChoiceField(
        label=_("Until"),
        choices=[(Half.PM, _("the end of the day")), (Half.AM, _("noon"))],
        initial=Half.PM,
    )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of leave"),
        choices=[("", _("Every type without a rule of its own")), *LeaveKind.choices],
        required=False,
    )
    max_days = forms.DecimalField(
        label=_("Up to (working days)"),
        max_digits=5,
        decimal_places=1,
        min_value=0.5,
        required=False,
        help_text=_("Empty: any length."),
    )
    level = forms.ChoiceField(label=_("Last approver"), choices=ApprovalLevel.choices)


class OutingForm(forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    cover = StaffChoiceField(
        label=_("Covered by"),
        queryset=None,
        required=False,
        help_text=_("Needed when the backup is away too."),
    )
    out_at = forms.DateTimeField(
        label=_("Went out"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Empty: now."),
    )
    back_at = forms.DateTimeField(
        label=_("Came back"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Only when entering an outing after the fact."),
    )

    def __init__(
        self, *args: Any, staff: Any, colleagues: Any, office: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        choose_cover(self, staff, colleagues)
        if staff.count() == 1:
            self.fields["staff"].initial = staff.first()
            self.fields["staff"].widget = forms.HiddenInput()
        if not office:
            del self.fields["out_at"]
            del self.fields["back_at"]
