"""Evaluation pages: the month's scores (units, chiefs, staff) with their breakdowns, objections,
the office's entries and votes, the awards, the annual roll-up and the rules editor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.months import parse_month, shift_month
from govhall.core.views import paginate
from govhall.evaluation import selectors, services
from govhall.evaluation.choices import (
    AwardKind,
    LineNote,
    ObjectionStatus,
    ScoreKind,
    Source,
)
from govhall.evaluation.forms import (
    AdjustmentForm,
    AwardsForm,
    DecisionForm,
    ObjectionForm,
    ReasonForm,
    RulesForm,
    VotesForm,
)
from govhall.evaluation.models import ScoreLine
from govhall.evaluation.rules import GROUPS, PARAM_BY_KEY
from govhall.org.models import Center, Staff, Unit
from govhall.org.scoping import scope_for
from govhall.org.selectors import center_or_404

AWARD_FIELDS = {ScoreKind.UNIT: "units", ScoreKind.CHIEF: "chiefs", ScoreKind.STAFF: "staff"}


def _month(request: HttpRequest, center: Center, data: Any = None) -> dt.date | None:
    """?month=YYYY-MM; by default the latest month computed, else last month. None if bad."""
    raw = (data if data is not None else request.GET).get("month", "").strip()
    if raw:
        return parse_month(raw)
    months = selectors.evaluated_months(center=center)
    return months[0] if months else shift_month(timezone.localdate().replace(day=1), -1)


def _kind(request: HttpRequest) -> str | None:
    kind = request.GET.get("kind", ScoreKind.UNIT)
    return kind if kind in ScoreKind.values else None


def _month_url(month: dt.date, kind: str = ScoreKind.UNIT) -> str:
    return f"{reverse('evaluation:month')}?month={month:%Y-%m}&kind={kind}"


def _missing(evaluation: Any) -> list[str]:
    labels = dict(Source.choices)
    reasons = {"no punches": _("no punches recorded this month"), "not installed": _("not in use")}
    return [
        f"{labels.get(m['source'], m['source'])}（{reasons.get(m['reason'], m['reason'])}）"
        for m in (evaluation.missing_sources if evaluation else [])
    ]


# --- the month ------------------------------------------------------------------------------


@perm_required("evaluation.view_scorecard")
def month_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month, kind = _month(request, center), _kind(request)
    if month is None or kind is None:
        return HttpResponseBadRequest(_("Unknown filter value."))
    evaluation = selectors.evaluation_of(center=center, month=month)
    cards = selectors.scorecard_list(user=request.user, center=center, month=month, kind=kind)
    proposed: set[int] = set()
    awarded: set[int] = set()
    pending = 0
    if evaluation is not None:
        award = AwardKind.for_score(kind)
        if evaluation.is_confirmed:
            awarded = {(a.staff_id or a.unit_id) for a in selectors.month_awards(evaluation)[award]}
        elif request.user.has_perm("evaluation.confirm_awards"):
            proposed = {c.pk for c in selectors.proposal(evaluation)[kind]}
        pending = selectors.pending_objections(evaluation)
    context = {
        "center": center,
        "month": month,
        "kind": kind,
        "kinds": ScoreKind.choices,
        "evaluation": evaluation,
        "cards": cards,
        "proposed": proposed,
        "awarded": awarded,
        "pending": pending,
        "missing": _missing(evaluation),
        "previous": shift_month(month, -1),
        "next": shift_month(month, 1),
        "months": selectors.evaluated_months(center=center),
        "award_label": AwardKind.for_score(kind).label,
    }
    return render(request, "evaluation/month.html", context)


@require_POST
@perm_required("evaluation.compute_evaluation")
def compute_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month = _month(request, center, request.POST)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    try:
        services.evaluation_compute(by=request.user, center=center, month=month)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The scores of {month} are computed.").format(month=f"{month.year}年{month.month}月"),
        )
    return redirect(_month_url(month, request.POST.get("kind", ScoreKind.UNIT)))


@perm_required("evaluation.view_scorecard")
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    card = selectors.scorecard_get(user=request.user, center=center, pk=pk)
    if card is None:
        raise Http404
    evaluation = card.evaluation
    scope = scope_for(request.user)
    can_object = (
        request.user.has_perm("evaluation.raise_objection")
        and scope.sees_unit(center.pk, card.unit_id)
        and not evaluation.is_confirmed
    )
    group = "chief" if card.kind == ScoreKind.CHIEF else "red_flag"
    parts = [
        {
            **part,
            "label": PARAM_BY_KEY[f"{group}.{part['code']}"].label,
            "note_label": _note(part["note"]),
        }
        for part in card.award_parts
    ]
    context = {
        "card": card,
        "evaluation": evaluation,
        "lines": selectors.scorecard_lines(card) if card.has_lines else [],
        "parts": parts,
        "related": selectors.related_cards(card),
        "staff_cards": selectors.unit_staff_cards(card) if card.kind == ScoreKind.UNIT else [],
        "can_object": can_object,
        "can_decide": request.user.has_perm("evaluation.decide_objection"),
        "missing": _missing(evaluation),
        "back": _month_url(evaluation.month, card.kind),
        "base": selectors.evaluation_rules(evaluation).base,
    }
    return render(request, "evaluation/card_detail.html", context)


def _note(code: str) -> str:
    return str(LineNote(code).label) if code else ""


# --- objections -------------------------------------------------------------------------------


@perm_required("evaluation.raise_objection")
def line_object(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    line = (
        ScoreLine.objects.select_related("scorecard__evaluation", "scorecard__unit")
        .filter(pk=pk, scorecard__in=selectors.visible_scorecards(user=request.user, center=center))
        .first()
    )
    if line is None:
        raise Http404
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_raise(by=request.user, line=line, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your objection is sent to the center office."))
            return redirect("evaluation:card_detail", pk=line.scorecard_id)
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "title": _("Object to a line"),
            "line": line,
            "cancel_url": reverse("evaluation:card_detail", args=[line.scorecard_id]),
        },
    )


@perm_required("evaluation.view_objection")
def objection_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    status = request.GET.get("status", "")
    if status and status not in ObjectionStatus.values:
        return HttpResponseBadRequest(_("Unknown filter value."))
    objections = selectors.objection_list(user=request.user, center=center, status=status)
    return render(
        request,
        "evaluation/objection_list.html",
        {
            "page": paginate(request, objections),
            "statuses": ObjectionStatus.choices,
            "status": status,
        },
    )


@perm_required("evaluation.decide_objection")
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    objection = selectors.objection_get(user=request.user, center=center, pk=pk)
    if objection is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_decide(
                by=request.user,
                objection=objection,
                accept=data["decision"] == "accept",
                note=data["note"],
                points=data["points"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The objection is decided."))
            return redirect("evaluation:card_detail", pk=objection.line.scorecard_id)
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "title": _("Rule on an objection"),
            "line": objection.line,
            "objection": objection,
            "cancel_url": reverse("evaluation:objection_list"),
        },
    )


# --- the office's entries ---------------------------------------------------------------------


@perm_required("evaluation.add_scoreadjustment")
def adjustment_create_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month = _month(request, center)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    units = list(
        Unit.objects.filter(center=center, is_active=True).order_by("position", "sort_key")
    )
    staff = list(
        Staff.objects.filter(center=center, is_active=True)
        .select_related("unit")
        .order_by("unit__position", "unit__sort_key", "role", "sort_key")
    )
    form = AdjustmentForm(request.POST or None, units=units, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _sep, raw_id = data["target"].partition(":")
        person = next((s for s in staff if str(s.pk) == raw_id), None) if kind == "staff" else None
        unit = person.unit if person else next((u for u in units if str(u.pk) == raw_id), None)
        if unit is None:
            form.add_error("target", _("Choose a unit or a person."))
        else:
            try:
                services.adjustment_create(
                    by=request.user, center=center, month=month, unit=unit, staff=person,
                    points=data["points"], reason=data["reason"],
                )  # fmt: skip
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The bonus or penalty is entered."))
                return redirect(_month_url(month, ScoreKind.STAFF if person else ScoreKind.UNIT))
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "title": _("Bonus or penalty for {month}").format(
                month=f"{month.year}年{month.month}月"
            ),
            "cancel_url": _month_url(month),
        },
    )


@perm_required("evaluation.add_unitvote")
def votes_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month = _month(request, center)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    units = list(
        Unit.objects.filter(center=center, is_active=True).order_by("position", "sort_key")
    )
    votes = selectors.votes_of(center=center, month=month)
    form = VotesForm(request.POST or None, units=units, votes=votes)
    if request.method == "POST" and form.is_valid():
        try:
            for unit in units:
                duty = form.cleaned_data[f"duty_{unit.pk}"]
                applicant = form.cleaned_data[f"applicant_{unit.pk}"]
                vote = votes.get(unit.pk)
                if vote is None and duty is None and applicant is None:
                    continue
                if vote is not None and (vote.duty_score, vote.applicant_score) == (
                    duty,
                    applicant,
                ):
                    continue
                services.unit_vote_set(
                    by=request.user, center=center, month=month, unit=unit,
                    duty_score=duty, applicant_score=applicant,
                )  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The votes are saved."))
            return redirect(_month_url(month))
    return render(
        request,
        "evaluation/votes.html",
        {"form": form, "month": month, "cancel_url": _month_url(month)},
    )


# --- awards ------------------------------------------------------------------------------------


@perm_required("evaluation.confirm_awards")
def awards_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month = _month(request, center, request.POST if request.method == "POST" else None)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    evaluation = selectors.evaluation_of(center=center, month=month)
    if evaluation is None:
        messages.error(request, _("Compute the month's scores first."))
        return redirect(_month_url(month))
    proposal = selectors.proposal(evaluation)
    candidates = {
        AWARD_FIELDS[kind]: list(selectors.candidates(evaluation, kind)) for kind in ScoreKind
    }
    initial = {
        AWARD_FIELDS[kind]: [str(c.staff_id or c.unit_id) for c in cards]
        for kind, cards in proposal.items()
    }
    form = AwardsForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and not evaluation.is_confirmed and form.is_valid():
        chosen: dict[str, list[Any]] = {}
        for field in AWARD_FIELDS.values():
            picked = set(form.cleaned_data[field])
            cards = [c for c in candidates[field] if str(c.staff_id or c.unit_id) in picked]
            chosen[field] = [c.staff if c.staff_id else c.unit for c in cards]
        try:
            services.awards_confirm(
                by=request.user, evaluation=evaluation, units=chosen["units"],
                chiefs=chosen["chiefs"], staff=chosen["staff"], reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The awards are confirmed."))
            return redirect(f"{reverse('evaluation:awards')}?month={month:%Y-%m}")
    rules = selectors.evaluation_rules(evaluation)
    context = {
        "month": month,
        "evaluation": evaluation,
        "form": form,
        "awards": selectors.month_awards(evaluation),
        "award_kinds": AwardKind.choices,
        "counts": {
            "units": rules.award_count(AwardKind.RED_FLAG),
            "chiefs": rules.award_count(AwardKind.STAR_CHIEF),
            "staff": rules.award_count(AwardKind.MODEL_STAFF),
        },
        "pending": selectors.pending_objections(evaluation),
        "sentences": selectors.award_sentences(center=center, month=month),
        "reopen_form": ReasonForm(),
    }
    return render(request, "evaluation/awards.html", context)


@require_POST
@perm_required("evaluation.confirm_awards")
def reopen_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month = _month(request, center, request.POST)
    evaluation = selectors.evaluation_of(center=center, month=month) if month else None
    if evaluation is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the month."))
    else:
        try:
            services.evaluation_reopen(
                by=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The month is reopened; its awards are withdrawn."))
    return redirect(f"{reverse('evaluation:awards')}?month={evaluation.month:%Y-%m}")


# --- the year ------------------------------------------------------------------------------------


@perm_required("evaluation.view_scorecard")
def annual_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    kind = _kind(request)
    raw = request.GET.get("year", "").strip()
    years = selectors.years_evaluated(center=center)
    if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2100):
        return HttpResponseBadRequest(_("Unknown filter value."))
    year = int(raw) if raw else (years[0] if years else timezone.localdate().year)
    if kind is None:
        return HttpResponseBadRequest(_("Unknown filter value."))
    rows = selectors.annual_rollup(user=request.user, center=center, year=year, kind=kind)
    return render(
        request,
        "evaluation/annual.html",
        {
            "year": year,
            "years": years,
            "kind": kind,
            "kinds": ScoreKind.choices,
            "rows": rows,
            "month_numbers": range(1, 13),
            "award_label": AwardKind.for_score(kind).label,
        },
    )


# --- rules -----------------------------------------------------------------------------------


@perm_required("evaluation.view_scoringrules")
def rules_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    versions = list(selectors.rules_versions(center=center))
    month = timezone.localdate().replace(day=1)
    current, version = selectors.rules_for(center=center, month=month)
    return render(
        request,
        "evaluation/rules_list.html",
        {
            "versions": versions,
            "current": version,
            "groups": [
                (label, [(p.label, current[p.key]) for p in PARAM_BY_KEY.values() if p.group == g])
                for g, label in GROUPS.items()
            ],
        },
    )


@perm_required("evaluation.change_scoringrules")
def rules_edit(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    start = parse_month(request.GET.get("from", "")) or timezone.localdate().replace(day=1)
    rules, _version = selectors.rules_for(center=center, month=start)
    form = RulesForm(request.POST or None, rules=rules, initial={"effective_from": start})
    if request.method == "POST" and form.is_valid():
        try:
            services.scoring_rules_save(
                by=request.user, center=center,
                effective_from=form.cleaned_data["effective_from"], params=form.params(),
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except DomainError as error:
            field = error.field.replace(".", "__") if error.field else None
            if field not in form.fields:
                field = None
            form.add_error(field, error.message)
        else:
            messages.success(request, _("The scoring rules are saved."))
            return redirect("evaluation:rules_list")
    return render(request, "evaluation/rules_form.html", {"form": form})
