"""Forms of the oversight pages; rules live in services, forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.oversight.choices import LeaderRole, LinkPurpose, QuotaPeriod, ViolationKind
from govhall.oversight.models import UnitLeader
from govhall.oversight.services import MAX_DESCRIPTION, MAX_NOTES, MAX_POINTS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _datetime_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
    )


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Violation"), choices=ViolationKind.choices)
    occurred_at = _datetime_field(_("Time"))
    staff = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=None,
        required=False,
        help_text=_(
            "Leave empty when nobody in particular was at fault: then name the window or unit."
        ),
    )
    window = forms.ModelChoiceField(label=_("Window"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    description = forms.CharField(
        label=_("What was found"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    points = forms.DecimalField(
        label=_("Points deducted"), min_value=0, max_value=MAX_POINTS, decimal_places=1
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, staff: Any, windows: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.unit.name}）"
        self.fields["window"].queryset = windows
        self.fields["unit"].queryset = units


class InspectionEditForm(InspectionForm):
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail."),
    )


class LeaderForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=60, required=False)
    role = forms.ChoiceField(label=_("Leader role"), choices=LeaderRole.choices)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Receives the one-time sign-in link when the leader is not logged in."),
    )
    user = forms.ModelChoiceField(
        label=_("Login account"),
        queryset=None,
        required=False,
        help_text=_("An account with the role of unit leader of this unit (optional)."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_username()}（{u.get_full_name()}）" if u.get_full_name() else u.get_username()
        )


class QuotaForm(forms.Form):
    head_period = forms.ChoiceField(
        label=_("Head of the unit: period"), choices=QuotaPeriod.choices
    )
    head_minutes = forms.IntegerField(
        label=_("Head of the unit: minutes"), min_value=1, max_value=10000
    )
    deputy_period = forms.ChoiceField(
        label=_("Supervising leader: period"), choices=QuotaPeriod.choices
    )
    deputy_minutes = forms.IntegerField(
        label=_("Supervising leader: minutes"),
        min_value=1,
        max_value=10000,
        help_text=_("Half a day is counted as 180 minutes."),
    )


class RecordForm(forms.Form):
    """A visit entered from the paper sign-in sheet."""

    leader = forms.ModelChoiceField(label=_("Leader"), queryset=None)
    signed_in_at = _datetime_field(_("Signed in"))
    signed_out_at = _datetime_field(_("Signed out"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=MAX_NOTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["leader"].label_from_instance = _leader_label


def _leader_label(leader: UnitLeader) -> str:
    return f"{leader.unit.name} · {leader.name}（{leader.title or leader.get_role_display()}）"


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        max_length=MAX_NOTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you checked, what you asked the window to do."),
    )


class LinkRequestForm(NotesForm):
    """A leader who is not logged in picks themselves; a link goes to their registered phone."""

    leader = forms.ModelChoiceField(label=_("I am"), queryset=None, empty_label=None)
    purpose = forms.ChoiceField(
        label=_("I want to"),
        choices=LinkPurpose.choices,
        initial=LinkPurpose.SIGN_IN,
        widget=forms.RadioSelect,
    )

    field_order = ["leader", "purpose", "notes"]

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["leader"].label_from_instance = _leader_label
