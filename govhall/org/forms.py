"""Forms of the office's organization pages; rules live in services, forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from govhall.core.forms import GroupedSelect, filter_by
from govhall.core.imports import upload_too_large
from govhall.org.choices import Role, StaffRole
from govhall.org.models import Staff, Unit, Window


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=100)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    position = forms.IntegerField(
        label=_("Display order"), min_value=0, max_value=9999, initial=100
    )


class WindowForm(forms.Form):
    name = forms.CharField(label=_("Window name"), max_length=100)
    number = forms.CharField(label=_("Window number"), max_length=20, required=False)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    window = forms.ModelChoiceField(
        label=_("Window"),
        queryset=Window.objects.none(),
        required=False,
        widget=GroupedSelect(group=lambda window: window.unit_id),
        help_text=_("The windows of the chosen unit."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices, initial=StaffRole.CLERK)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    staff_no = forms.CharField(label=_("Staff number"), max_length=30, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG or PNG; shown on the window's rating pad and screen."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, units: Any, windows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["window"].queryset = windows
        filter_by(self.fields["window"], "unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit, window = data.get("unit"), data.get("window")
        if unit and window and window.unit_id != unit.pk:
            self.add_error("window", _("This window belongs to another unit."))
        return data


class PostForm(forms.Form):
    backup = forms.ModelChoiceField(label=_("B role (backup)"), queryset=Staff.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["backup"].queryset = candidates
        self.fields["backup"].label_from_instance = lambda s: f"{s.name}（{s.unit.name}）"


class AccountForm(forms.Form):
    username = forms.SlugField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class NewAccountForm(AccountForm):
    full_name = forms.CharField(label=_("Name shown"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Required for chief representatives, window staff and unit leaders."),
    )

    field_order = ["username", "full_name", "role", "unit", "password"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File (CSV UTF-8 or XLSX)"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Use a .csv or .xlsx file."))
        too_large = upload_too_large(upload.size)
        if too_large:
            raise forms.ValidationError(too_large)
        return upload
