"""Forms of the window screens; they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.cases.choices import Channel, ConsultationChannel, Result, SuspensionKind
from govhall.catalog.choices import Necessity
from govhall.catalog.models import Material, ProcessStep, ServiceItem
from govhall.org.models import Unit, Window


def lines(text: str) -> list[str]:
    """One entry per non-empty line (materials typed in a text box)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reason_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


# --- intake -----------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    """收件 at the window: the chosen item, the applicant and the materials ticked off."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=_("Applicant"), max_length=100)
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    applicant_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    agent_name = forms.CharField(label=_("Agent"), max_length=100, required=False)
    agent_id_number = forms.CharField(label=_("Agent ID number"), max_length=32, required=False)
    agent_phone = forms.CharField(
        label=_("Agent phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.WINDOW)
    window = forms.ModelChoiceField(
        label=_("Window"), queryset=Window.objects.none(), required=False
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials received"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "material-check"}),
    )
    missing = forms.CharField(
        label=_("Missing materials (one per line)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Listed in the one-time supplement notice; filled in from the unticked materials."
        ),
    )
    note = forms.CharField(
        label=_("Note on the supplement notice"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, item: ServiceItem, choose_window: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.checklist: list[Material] = list(item.current.materials.all())
        self.fields["item"].initial = item.pk
        self.fields["materials"].choices = [(str(m.pk), m.name) for m in self.checklist]
        if choose_window:
            self.fields["window"].queryset = Window.objects.filter(
                unit_id=item.unit_id, is_active=True
            )
        else:
            del self.fields["window"]

    def required_materials(self) -> list[Material]:
        return [m for m in self.checklist if m.necessity == Necessity.REQUIRED]

    def checklist_rows(self) -> list[dict[str, Any]]:
        """The materials as the template ticks them off, keeping what was ticked."""
        ticked = set(self["materials"].value() or [])
        return [
            {
                "material": m,
                "value": str(m.pk),
                "id": f"id_materials_{index}",
                "checked": str(m.pk) in ticked,
                "required": m.necessity == Necessity.REQUIRED,
            }
            for index, m in enumerate(self.checklist)
        ]

    def unticked_required(self) -> list[str]:
        """Names of the required materials not ticked (valid forms only)."""
        ticked = set(self.cleaned_data.get("materials") or [])
        return [m.name for m in self.required_materials() if str(m.pk) not in ticked]

    def clean_item(self) -> int:
        value = self.cleaned_data["item"]
        if value != self.item.pk:
            raise forms.ValidationError(_("Choose the item again."))
        return value


# --- actions on a case ------------------------------------------------------------------------


class ActionForm(forms.Form):
    """A transition without input (accept, resume, supplement complete)."""

    def arguments(self) -> dict[str, Any]:
        return {}


class ReasonForm(ActionForm):
    reason = reason_field()

    def arguments(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class SupplementForm(ActionForm):
    """一次性告知: every missing material at once, ticked from the item's list or typed."""

    materials = forms.MultipleChoiceField(
        label=_("Missing materials"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=_("Other missing materials or corrections (one per line)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, materials: list[Material] | tuple = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = list(dict.fromkeys(m.name for m in materials))
        self.fields["materials"].choices = [(n, n) for n in names]

    def arguments(self) -> dict[str, Any]:
        chosen = list(self.cleaned_data["materials"]) + lines(self.cleaned_data["other"])
        return {"materials": list(dict.fromkeys(chosen)), "note": self.cleaned_data["note"]}


class StepForm(ActionForm):
    step = forms.ChoiceField(label=_("Step"), required=False)
    other = forms.CharField(label=_("Or another step"), required=False, max_length=60)
    result = forms.CharField(label=_("Result"), required=False, max_length=100)
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, steps: list[ProcessStep] | tuple = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", "—")] + [(s.name, s.name) for s in steps]

    def arguments(self) -> dict[str, Any]:
        name = self.cleaned_data["other"].strip() or self.cleaned_data["step"]
        return {
            "name": name,
            "result": self.cleaned_data["result"],
            "opinion": self.cleaned_data["opinion"],
        }


class SuspendForm(ReasonForm):
    kind = forms.ChoiceField(
        label=_("Special procedure"),
        choices=[c for c in SuspensionKind.choices if c[0] != SuspensionKind.SUPPLEMENT],
    )
    field_order = ["kind", "reason"]

    def arguments(self) -> dict[str, Any]:
        return {"kind": self.cleaned_data["kind"], "reason": self.cleaned_data["reason"]}


class ExtendForm(ReasonForm):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=10, initial=10)
    approved_by = forms.CharField(label=_("Approved by (unit head)"), max_length=100)
    field_order = ["days", "reason", "approved_by"]

    def arguments(self) -> dict[str, Any]:
        return {
            "days": self.cleaned_data["days"],
            "reason": self.cleaned_data["reason"],
            "approved_by": self.cleaned_data["approved_by"],
        }


class CompleteForm(ActionForm):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    note = forms.CharField(
        label=_("Note (the reasons, for a refusal)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def arguments(self) -> dict[str, Any]:
        return {"result": self.cleaned_data["result"], "note": self.cleaned_data["note"]}


class UploadReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the file")), ("reject", _("Ask for it again"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Review note"), required=False, max_length=400)


# --- consultations ----------------------------------------------------------------------------


class ConsultationForm(forms.Form):
    """咨询登记: who asked, about what, how many people."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    topic = forms.CharField(label=_("Topic"), required=False, max_length=400)
    person_times = forms.IntegerField(
        label=_("Person-times"), min_value=1, max_value=999, initial=1
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=ConsultationChannel.choices, initial=ConsultationChannel.WINDOW
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
