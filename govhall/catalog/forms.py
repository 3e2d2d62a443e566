"""Forms of the catalog's staff pages; they parse, the services decide."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govhall.catalog.choices import Category, ChangeType, HandlingType
from govhall.catalog.files import BLANK_FORM, FLOWCHART, FORM, SAMPLE
from govhall.catalog.models import ItemVersion
from govhall.catalog.services import BASIC_FIELDS, ROW_PARTS


class ItemCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    code = forms.CharField(label=_("Implementation code"), max_length=40)
    name = forms.CharField(label=_("Item name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    handling_type = forms.ChoiceField(label=_("Handling type"), choices=HandlingType.choices)
    legal_days = forms.DecimalField(
        label=_("Legal limit (working days)"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        initial=0,
    )
    promised_days = forms.DecimalField(
        label=_("Promised limit (working days)"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        initial=0,
    )
    decision_document = forms.CharField(
        label=_("Decision document"), max_length=120, required=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class KeywordsForm(forms.Form):
    keywords = forms.CharField(
        label=_("Search keywords"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Other words the public types for this item (aliases, common names), one per line or "
            "separated by 、; the kiosk also finds them by pinyin and initials."
        ),
    )


# A form's file field → the kind its address names.
FILE_FIELD_KINDS = {
    "flowchart_image": FLOWCHART,
    "blank_form": BLANK_FORM,
    "sample": SAMPLE,
    "file": FORM,
}


@dataclass(frozen=True)
class StoredLink:
    """What the file input shows for a stored file: its name, linked through the file view."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class StoredFileInput(forms.ClearableFileInput):
    """The file input, linking a stored file through the catalog's file view (the storage path
    is served by nothing)."""

    url = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.url:
            context["widget"]["value"] = StoredLink(
                url=self.url, name=PurePosixPath(str(value.name)).name
            )
        return context


def link_stored_files(form: forms.ModelForm, version_pk: int | None, row_pk: int | None) -> None:
    """Point each file field of a saved row (or version) at the staff file view."""
    for name, kind in FILE_FIELD_KINDS.items():
        field = form.fields.get(name)
        if field is None or version_pk is None or row_pk is None:
            continue
        widget = StoredFileInput(attrs=field.widget.attrs)
        widget.url = reverse("catalog:version_file", args=[version_pk, kind, row_pk])
        field.widget = widget


class BasicForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_stored_files(self, self.instance.pk, self.instance.pk)

    class Meta:
        model = ItemVersion
        fields = [f for f in BASIC_FIELDS] + ["decision_document", "change_note", "related_codes"]
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "special_procedures": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
        }


class ChangeForm(forms.Form):
    change_type = forms.ChoiceField(
        label=_("Kind of change"), choices=[c for c in ChangeType.choices if c[0] != ChangeType.ADD]
    )
    decision_document = forms.CharField(
        label=_("Decision document"), max_length=120, required=False
    )
    change_note = forms.CharField(
        label=_("What changes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=200)
    document = forms.CharField(label=_("Based on"), max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class RowForm(forms.ModelForm):
    """One row of a list part; its uploads are checked by the service (core.uploads)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_stored_files(self, getattr(self.instance, "version_id", None), self.instance.pk)


ROW_WIDGETS = {
    "standard": forms.Textarea(attrs={"rows": 2}),
    "measure": forms.Textarea(attrs={"rows": 2}),
    "answer": forms.Textarea(attrs={"rows": 2}),
}


def row_formset(part: str) -> type[forms.BaseModelFormSet]:
    model, fields = ROW_PARTS[part]
    return forms.modelformset_factory(
        model, form=RowForm, fields=fields, extra=2, can_delete=True, widgets=ROW_WIDGETS
    )
