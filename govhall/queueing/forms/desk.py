"""The window desk's forms (叫号台): finishing a number, sending it on, pausing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case
from govhall.core.forms import SingleLineField
from govhall.org.models import Window
from govhall.queueing.choices import PauseReason
from govhall.queueing.models import QueueCategory


class CaseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.item.name} · {obj.applicant_name}"


class FinishForm(forms.Form):
    AS_CASE, AS_CONSULTATION, AS_NOTHING = "case", "consultation", "none"
    outcome = forms.ChoiceField(
        label=_("Became"),
        choices=[
            (AS_CASE, _("A case")),
            (AS_CONSULTATION, _("A consultation")),
            (AS_NOTHING, _("Nothing to record")),
        ],
        initial=AS_CASE,
        widget=forms.RadioSelect,
    )
    case = CaseChoice(
        label=_("Case received today"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    case_no = SingleLineField(label=_("or case number"), max_length=32, required=False)
    topic = SingleLineField(label=_("Consultation topic"), max_length=400, required=False)

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == self.AS_CASE and not (
            data.get("case") or (data.get("case_no") or "").strip()
        ):
            self.add_error(
                None, gettext("Case: choose a case received today or type its case number.")
            )
        return data


class TransferForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("To category"),
        queryset=QueueCategory.objects.none(),
        required=False,
        empty_label=_("— keep —"),
    )
    window = forms.ModelChoiceField(
        label=_("To window"),
        queryset=Window.objects.none(),
        required=False,
        empty_label=_("— any window of the category —"),
    )

    def __init__(
        self,
        *args: Any,
        categories: QuerySet[QueueCategory],
        windows: QuerySet[Window],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["window"].queryset = windows  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("category") and not data.get("window") and not self.errors:
            self.add_error(None, gettext("Transfer: choose a category or a window to send it to."))
        return data


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=PauseReason.choices)
    note = SingleLineField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Where to, for an outing; what, for other reasons."),
    )
