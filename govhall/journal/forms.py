"""The journal's entry form: one form, showing the fields each kind needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.journal.choices import EntryKind
from govhall.journal.services import MAX_CONTENT

# The fields of each kind, in the order the form shows them.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    EntryKind.LEADER_VISIT: ("date", "person", "unit", "content"),
    EntryKind.MEDIA_REPORT: (
        "date",
        "outlet",
        "section",
        "title",
        "link",
        "clipping",
        "unit",
        "content",
    ),
    EntryKind.INFO_SUBMISSION: ("date", "unit", "title", "person", "content"),
    EntryKind.OTHER_WORK: ("date", "title", "content"),
    EntryKind.GOOD_DEED: ("date", "staff", "content"),
}

LABELS: dict[str, dict[str, Any]] = {
    EntryKind.LEADER_VISIT: {
        "person": _("Visitors"),
        "content": _("What they said"),
    },
    EntryKind.MEDIA_REPORT: {"content": _("Summary")},
    EntryKind.INFO_SUBMISSION: {"person": _("Submitted by"), "content": _("Summary")},
    EntryKind.OTHER_WORK: {"content": _("What was done")},
    EntryKind.GOOD_DEED: {"content": _("The story")},
}


class EntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    person = forms.CharField(
        label=_("Who"),
        max_length=200,
        required=False,
        help_text=_("e.g. 县人大常委会副主任 X一行"),
    )
    outlet = forms.CharField(label=_("Media outlet"), max_length=100, required=False)
    section = forms.CharField(
        label=_("Page or programme"), max_length=60, required=False, help_text=_("e.g. 第三版")
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    clipping = forms.FileField(
        label=_("Clipping"),
        required=False,
        help_text=_("A scan or photo: JPEG, PNG or PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, required=False)
    content = forms.CharField(
        label=_("Content"),
        max_length=MAX_CONTENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, kind: str, units: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = self.wanted_fields(kind)
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        for name, label in LABELS.get(kind, {}).items():
            self.fields[name].label = label
        if "unit" in self.fields:
            self.fields["unit"].queryset = units
        if "staff" in self.fields:
            self.fields["staff"].queryset = staff
            self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.unit.name}）"

    @staticmethod
    def wanted_fields(kind: str) -> tuple[str, ...]:
        return KIND_FIELDS[kind]


class EntryEditForm(EntryForm):
    remove_clipping = forms.BooleanField(label=_("Remove the clipping"), required=False)

    @staticmethod
    def wanted_fields(kind: str) -> tuple[str, ...]:
        fields = KIND_FIELDS[kind]
        return (*fields, "remove_clipping") if "clipping" in fields else fields
