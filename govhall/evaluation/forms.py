"""Forms of the evaluation pages; the services check the rules, the forms the shape of input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.evaluation.models import Scorecard
from govhall.evaluation.rules import GROUPS, PARAMS, RuleSet
from govhall.org.models import Staff, Unit


class MonthField(forms.DateField):
    """<input type="month">: YYYY-MM → the month's first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the line is wrong"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what the record should be, and how the office can check it."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    points = forms.DecimalField(
        label=_("New points for the line"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=_("When accepting: leave empty to remove the line (0 points)."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: the unit reads it."),
    )


class AdjustmentForm(forms.Form):
    target = forms.ChoiceField(label=_("For"))
    points = forms.DecimalField(
        label=_("Points"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Positive for a bonus, negative for a penalty."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, units: Iterable[Unit], staff: Iterable[Staff], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", "—")]
        choices.append((_("Units"), [(f"unit:{u.pk}", u.name) for u in units]))
        choices.append(
            (_("Staff"), [(f"staff:{s.pk}", f"{s.name}（{s.unit.name}）") for s in staff])
        )
        self.fields["target"].choices = choices


class VotesForm(forms.Form):
    """Two votes (0–100) per unit; an empty field means no vote was held."""

    def __init__(
        self, *args: Any, units: Iterable[Unit], votes: Mapping[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Unit, forms.BoundField, forms.BoundField]] = []
        for unit in units:
            vote = votes.get(unit.pk)
            for name, label, value in (
                ("duty", _("Duty staff's vote"), vote.duty_score if vote else None),
                ("applicant", _("Applicants' vote"), vote.applicant_score if vote else None),
            ):
                self.fields[f"{name}_{unit.pk}"] = forms.DecimalField(
                    label=f"{unit.name} · {label}", required=False, min_value=Decimal(0),
                    max_value=Decimal(100), max_digits=5, decimal_places=2, initial=value,
                )  # fmt: skip
            self.rows.append((unit, self[f"duty_{unit.pk}"], self[f"applicant_{unit.pk}"]))


class AwardsForm(forms.Form):
    """The awards as check boxes over each ranking, the proposal ticked; a reason when the
    selection departs from it."""

    units = forms.MultipleChoiceField(
        label=_("Red-flag windows"), required=False, widget=forms.CheckboxSelectMultiple
    )
    chiefs = forms.MultipleChoiceField(
        label=_("Star chief representatives"), required=False, widget=forms.CheckboxSelectMultiple
    )
    staff = forms.MultipleChoiceField(
        label=_("Models of service"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason for departing from the ranking"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, candidates: Mapping[str, Iterable[Scorecard]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for field, cards in candidates.items():
            self.fields[field].choices = [
                (str(c.staff_id or c.unit_id), _card_label(c)) for c in cards
            ]


def _card_label(card: Scorecard) -> str:
    rank = _("No. {n}").format(n=card.rank)
    who = card.name if card.staff_id is None else f"{card.name}（{card.unit.name}）"
    return f"{rank} {who} · {card.award_score}"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RulesForm(forms.Form):
    """Every parameter of the scoring rules, grouped, from a month on."""

    effective_from = MonthField(label=_("Effective from (month)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[Any, list[forms.BoundField]]] = []
        grouped: dict[str, list[forms.BoundField]] = {}
        for p in PARAMS:
            name = f"{p.group}__{p.name}"
            self.fields[name] = forms.DecimalField(
                label=p.label, initial=rules[p.key], max_digits=8, decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )  # fmt: skip
            grouped.setdefault(p.group, []).append(self[name])
        self.groups = [(GROUPS[g], fields) for g, fields in grouped.items()]

    def params(self) -> dict[str, dict[str, str]]:
        data: dict[str, dict[str, str]] = {}
        for p in PARAMS:
            data.setdefault(p.group, {})[p.name] = str(self.cleaned_data[f"{p.group}__{p.name}"])
        return data

    def field_for(self, key: str) -> str | None:
        """The form field of a parameter key ("unit.red") or weight group ("red_flag")."""
        if "." in key:
            return key.replace(".", "__")
        return None
