"""Forms of the feedback pages; they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from govhall.core.forms import SingleLineField
from govhall.feedback.choices import (
    FeedbackKind,
    Finding,
    FollowUpResult,
    RatingLevel,
    RatingTag,
)
from govhall.feedback.services import (
    MAX_COMMENT,
    MAX_CONTENT,
    MAX_NAME,
    MAX_SUBJECT,
    MAX_TAGS,
    MAX_TEXT,
)
from govhall.org.models import Unit


def _text_area(label: Any, *, required: bool = True, rows: int = 3, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


# --- public -----------------------------------------------------------------------------------


class RatingForm(forms.Form):
    """The five levels as big buttons, the tags as toggles, and an optional comment."""

    level = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=RatingLevel.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "level-input"}),
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    tags = forms.MultipleChoiceField(
        label=_("What stood out? (optional)"),
        choices=RatingTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "tag-input"}),
        help_text=format_lazy(_("Choose up to {n}."), n=MAX_TAGS),
    )
    comment = forms.CharField(
        label=_("Anything else? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
    )

    def praise(self) -> list[Any]:
        return [b for b in self["tags"] if b.data["value"] in RatingTag.praise()]

    def criticism(self) -> list[Any]:
        return [b for b in self["tags"] if b.data["value"] in RatingTag.criticism()]


class RateLookupForm(forms.Form):
    number = SingleLineField(
        label=_("Case number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    digits = SingleLineField(
        label=_("Last 4 digits of the phone"),
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}
        ),
        help_text=_("The phone number given when the application was made."),
    )


class WriteForm(forms.Form):
    """投诉 or 留言; `website` is a trap for robots: people never see it, robots fill it in."""

    kind = forms.ChoiceField(
        label=_("What would you like to send?"),
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect(attrs={"class": "kind-input"}),
        initial=FeedbackKind.MESSAGE,
    )
    unit = forms.ModelChoiceField(
        label=_("About which unit? (optional)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Not sure / the whole hall"),
    )
    subject = SingleLineField(label=_("Subject (optional)"), max_length=MAX_SUBJECT, required=False)
    content = forms.CharField(
        label=_("Your complaint or message"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_CONTENT}),
        help_text=format_lazy(_("At most {n} characters."), n=MAX_CONTENT),
    )
    name = SingleLineField(
        label=_("Your name"),
        max_length=MAX_NAME,
        required=False,
        help_text=_("Required for a complaint; optional for a message."),
    )
    phone = SingleLineField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Required for a complaint, so the unit can call you back."),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def trapped(self) -> bool:
        return bool(self.is_bound and (self.data.get("website") or "").strip())


class CodeForm(forms.Form):
    code = SingleLineField(
        label=_("Reference code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The code shown when you sent your complaint or message."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not resolved?"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_CONTENT}),
    )


# --- staff ------------------------------------------------------------------------------------


class ContactForm(forms.Form):
    note = _text_area(
        _("What verification and the contact found"),
        help_text=_("What happened at the window, and what the applicant said when called."),
    )


class RectifyForm(forms.Form):
    outcome = _text_area(_("Outcome of the rectification"), rows=4)


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result of the follow-up call"),
        choices=FollowUpResult.choices,
        widget=forms.RadioSelect,
    )
    note = _text_area(_("Note"), required=False, rows=2)


class ReviewRequestForm(forms.Form):
    reason = _text_area(
        _("Why the rating should be found invalid"),
        help_text=_("For example: the applicant rated another unit's case, or admitted a grudge."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("valid", _("Valid: the rating counts")),
            ("invalid", _("Invalid (恶意差评): the rating counts nowhere")),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text_area(_("Reason"), required=False, help_text=_("Required for an invalid rating."))


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit to answer it"), queryset=Unit.objects.none())
    note = _text_area(_("Note to the unit (not shown to the submitter)"), required=False, rows=2)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AnswerForm(forms.Form):
    answer = _text_area(_("Answer (shown to the submitter)"), rows=6)
    finding = forms.ChoiceField(
        label=_("Finding"),
        choices=[("", "—"), *Finding.choices],
        required=False,
        help_text=_("Required for a complaint."),
    )


class DismissForm(forms.Form):
    reason = _text_area(_("Why it is dismissed"), rows=2)


class SettingsForm(forms.Form):
    contact_days = forms.IntegerField(
        label=_("Days to verify and contact after a bad rating (working days)"),
        min_value=1,
        max_value=10,
    )
    rectify_days = forms.IntegerField(
        label=_("Days to rectify after a bad rating (working days)"), min_value=1, max_value=60
    )
    complaint_days = forms.IntegerField(
        label=_("Days to answer a complaint (working days)"), min_value=1, max_value=60
    )
    message_days = forms.IntegerField(
        label=_("Days to answer a message (working days)"), min_value=1, max_value=60
    )
    max_reopens = forms.IntegerField(
        label=_("Times a submitter may reopen an answer"), min_value=0, max_value=5
    )
