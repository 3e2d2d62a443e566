"""Forms of the catalog's staff pages; they parse, the services decide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.catalog.choices import Category, ChangeType, HandlingType
from govhall.catalog.models import ItemVersion
from govhall.catalog.services import BASIC_FIELDS, ROW_PARTS

UPLOAD_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".jpg", ".jpeg", ".png"}
UPLOAD_MAX = 10 * 1024 * 1024


def check_upload(upload: Any) -> Any:
    """Blank forms, samples and flowcharts: office documents or images up to 10 MB."""
    if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
        if Path(upload.name).suffix.lower() not in UPLOAD_TYPES:
            raise forms.ValidationError(_("Upload a PDF, Word, Excel, WPS or image file."))
        if upload.size > UPLOAD_MAX:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
    return upload


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


class BasicForm(forms.ModelForm):
    class Meta:
        model = ItemVersion
        fields = [f for f in BASIC_FIELDS] + ["decision_document", "change_note", "related_codes"]
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "special_procedures": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_flowchart_image(self) -> Any:
        return check_upload(self.cleaned_data.get("flowchart_image"))


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
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    document = forms.CharField(label=_("Based on"), max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class RowForm(forms.ModelForm):
    """One row of a list part; uploads are checked here."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(self.fields.get(name), forms.FileField):
                data[name] = check_upload(value)
        return data


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
