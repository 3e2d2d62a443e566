"""Staff pages: the rating pad turned toward the applicant, ratings with their validity review,
rectification tasks, the complaints and messages inbox, the month's figures, what is overdue and
the center's limits. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govhall.cases.models import Case, Consultation
from govhall.core import once
from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.months import parse_month, shift_month
from govhall.core.text import mask_phone
from govhall.core.views import paginate
from govhall.feedback import selectors, services
from govhall.feedback.choices import (
    FeedbackKind,
    FeedbackStatus,
    RatingChannel,
    RatingLevel,
    RatingReview,
    RectificationStatus,
)
from govhall.feedback.forms import (
    AnswerForm,
    ContactForm,
    DismissForm,
    FollowUpForm,
    RatingForm,
    RectifyForm,
    ReviewForm,
    ReviewRequestForm,
    RouteForm,
    SettingsForm,
)
from govhall.feedback.models import Feedback, Rating, Rectification
from govhall.org.models import Center, Unit
from govhall.org.scoping import scope_for, scoped
from govhall.org.selectors import center_or_404

VIEW_RATINGS = "feedback.view_rating"
VIEW_TASKS = "feedback.view_rectification"
VIEW_FEEDBACK = "feedback.view_feedback"


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _units(request: HttpRequest, center: Center) -> Any:
    return scoped(Unit.objects.filter(center=center), request.user, unit="id").order_by(
        "position", "sort_key"
    )


def _wide(request: HttpRequest, center: Center) -> bool:
    """The person sees every unit of the center (office, supervisor)."""
    return scope_for(request.user).sees_unit(center.pk, None)


# --- the rating pad ---------------------------------------------------------------------------


def _pad(
    request: HttpRequest, *, case: Case | None, consultation: Consultation | None, back: str
) -> HttpResponse:
    """The pad: five big buttons, tags and a comment, for the applicant to tap."""
    target: dict[str, Any] = {"case": case} if case is not None else {"consultation": consultation}
    existing = Rating.objects.filter(**target).first()
    form = RatingForm(request.POST or None)
    if case is not None:
        ratable, center = case.status in services.RATABLE, case.center
    else:
        ratable, center = True, consultation.center  # type: ignore[union-attr]
    context: dict[str, Any] = {
        "case": case,
        "consultation": consultation,
        "existing": existing,
        "form": form,
        "back": back,
        "ratable": ratable,
        "center": center,
        # The applicant holds the screen: none of the staff's notices show on it.
        "calendar_warnings": [],
        "messages": [],
    }
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                # A second tap on the same pad page shows the thanks, not a refusal.
                once.submit_once(
                    request=request,
                    purpose="feedback.pad",
                    create=lambda: str(
                        services.rating_submit(
                            by=request.user,
                            level=form.cleaned_data["level"],
                            tags=form.cleaned_data["tags"],
                            comment=form.cleaned_data["comment"],
                            channel=RatingChannel.WINDOW,
                            **target,
                        ).pk
                    ),
                )
            except DomainError as error:
                context["refused"] = error.message
                context["existing"] = Rating.objects.filter(**target).first()
                status = 409
            else:
                # Redirected, so a reload asks nothing again.
                return redirect(request.path + "?done=1")
    elif request.GET.get("done") and existing is not None:
        return render(request, "feedback/pad_done.html", context)
    return render(request, "feedback/pad.html", context, status=status)


@perm_required("feedback.use_rating_pad")
@require_http_methods(["GET", "POST"])
def pad_case(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    case = (
        scoped(Case.objects.filter(center=center), request.user)
        .select_related("center", "unit", "item", "window")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return _pad(
        request, case=case, consultation=None, back=reverse("cases:case_detail", args=[case.pk])
    )


@perm_required("feedback.use_rating_pad")
@require_http_methods(["GET", "POST"])
def pad_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    consultation = (
        scoped(Consultation.objects.filter(center=center), request.user)
        .select_related("center", "unit", "staff")
        .filter(pk=pk)
        .first()
    )
    if consultation is None:
        raise Http404
    return _pad(request, case=None, consultation=consultation, back=reverse("cases:consultations"))


# --- ratings ---------------------------------------------------------------------------------


@perm_required(VIEW_RATINGS)
def rating_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    raw_month = request.GET.get("month", "")
    month = parse_month(raw_month) if raw_month else None
    level = request.GET.get("level", "")
    channel = request.GET.get("channel", "")
    review = request.GET.get("review", "")
    unit_raw = request.GET.get("unit", "")
    if (
        (raw_month and month is None)
        or (level and _int(level) not in RatingLevel.values)
        or (channel and channel not in RatingChannel.values)
        or (review and review != "bad" and review not in RatingReview.values)
        or (unit_raw and _int(unit_raw) is None)
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    filters = selectors.RatingFilters(
        month=month,
        unit_id=_int(unit_raw),
        level=_int(level),
        channel=channel,
        review=review,
    )
    context = {
        "page": paginate(
            request, selectors.rating_list(user=request.user, center=center, filters=filters)
        ),
        "filters": filters,
        "month": raw_month,
        "units": _units(request, center),
        "levels": RatingLevel.choices,
        "channels": RatingChannel.choices,
        "reviews": [(v, label) for v, label in RatingReview.choices if v],
    }
    return render(request, "feedback/rating_list.html", context)


def _rating(request: HttpRequest, pk: int) -> Rating:
    rating = selectors.rating_get(user=request.user, center=center_or_404(request), pk=pk)
    if rating is None:
        raise Http404
    return rating


def _rating_page(
    request: HttpRequest,
    rating: Rating,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    forms_by_name: dict[str, forms.Form] = {}
    if (
        rating.is_bad
        and rating.review == RatingReview.NONE
        and user.has_perm("feedback.handle_rectification")
    ):
        forms_by_name["review_request"] = ReviewRequestForm()
    if (
        rating.review in (RatingReview.NONE, RatingReview.REQUESTED)
        and user.has_perm("feedback.review_rating")
        and _wide(request, rating.center)
    ):
        forms_by_name["review"] = ReviewForm()
    if bound is not None:
        forms_by_name[bound[0]] = bound[1]
    context = {
        "rating": rating,
        "task": getattr(rating, "rectification", None),
        "forms": forms_by_name,
        "phone": _phone(request, rating),
    }
    return render(request, "feedback/rating_detail.html", context, status=status)


def _phone(request: HttpRequest, rating: Rating) -> str:
    case = rating.case
    if case is None or not case.applicant_phone:
        return ""
    if request.user.has_perm("cases.view_id_number"):
        return case.applicant_phone
    return mask_phone(case.applicant_phone)


@perm_required(VIEW_RATINGS)
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _rating_page(request, _rating(request, pk))


RATING_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], str]] = {
    "review_request": (
        ReviewRequestForm,
        lambda by, rating, data: services.rating_review_request(
            by=by, rating=rating, reason=data["reason"]
        ),
        "feedback.handle_rectification",
    ),
    "review": (
        ReviewForm,
        lambda by, rating, data: services.rating_review(
            by=by, rating=rating, valid=data["decision"] == "valid", reason=data["reason"]
        ),
        "feedback.review_rating",
    ),
}


@perm_required(VIEW_RATINGS)
@require_POST
def rating_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in RATING_ACTIONS:
        raise Http404
    form_class, act, perm = RATING_ACTIONS[action]
    if not request.user.has_perm(perm):
        raise PermissionDenied
    rating = _rating(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _rating_page(request, rating, bound=(action, form), status=400)
    try:
        act(request.user, rating, form.cleaned_data)
    except DomainError as error:
        form_error(form, error)
        return _rating_page(request, _rating(request, pk), bound=(action, form), status=400)
    messages.success(request, _("Saved."))
    return redirect("feedback:rating_detail", pk=pk)


# --- rectification tasks ---------------------------------------------------------------------


@perm_required(VIEW_TASKS)
def task_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    status = request.GET.get("status", "active")
    unit_raw = request.GET.get("unit", "")
    overdue = request.GET.get("overdue") == "1"
    if (
        status and status not in ("active", "all") and status not in RectificationStatus.values
    ) or (unit_raw and _int(unit_raw) is None):
        return HttpResponseBadRequest(_("Unknown filter value."))
    today = timezone.localdate()
    tasks = selectors.rectification_list(
        user=request.user,
        center=center,
        status="" if status == "all" else status,
        unit_id=_int(unit_raw),
        overdue_on=today if overdue else None,
    )
    page = paginate(request, tasks)
    now = timezone.now()
    context = {
        "page": page,
        "rows": [(t, _task_flags(t, now)) for t in page.object_list],
        "filters": {"status": status, "unit": _int(unit_raw), "overdue": overdue},
        "units": _units(request, center),
        "statuses": RectificationStatus.choices,
    }
    return render(request, "feedback/task_list.html", context)


def _task_flags(task: Rectification, now: dt.datetime) -> dict[str, bool]:
    return {
        "contact_late": task.contacted_at is None and task.is_active and now > task.contact_due,
        "rectify_late": task.is_active and now > task.rectify_due,
    }


def _task(request: HttpRequest, pk: int) -> Rectification:
    task = selectors.rectification_get(user=request.user, center=center_or_404(request), pk=pk)
    if task is None:
        raise Http404
    return task


TASK_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], str]] = {
    "contact": (
        ContactForm,
        lambda by, task, data: services.rectification_contact(by=by, task=task, note=data["note"]),
        RectificationStatus.OPEN,
    ),
    "rectify": (
        RectifyForm,
        lambda by, task, data: services.rectification_rectify(
            by=by, task=task, outcome=data["outcome"]
        ),
        RectificationStatus.CONTACTED,
    ),
    "follow_up": (
        FollowUpForm,
        lambda by, task, data: services.rectification_follow_up(
            by=by, task=task, result=data["result"], note=data["note"]
        ),
        RectificationStatus.RECTIFIED,
    ),
}


def _task_page(
    request: HttpRequest,
    task: Rectification,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    action = next((name for name, spec in TASK_ACTIONS.items() if spec[2] == task.status), None)
    form = None
    if action is not None and request.user.has_perm("feedback.handle_rectification"):
        form = bound[1] if bound and bound[0] == action else TASK_ACTIONS[action][0]()
    context = {
        "task": task,
        "rating": task.rating,
        "action": action if form is not None else None,
        "form": form,
        "flags": _task_flags(task, timezone.now()),
        "phone": _phone(request, task.rating),
    }
    return render(request, "feedback/task_detail.html", context, status=status)


@perm_required(VIEW_TASKS)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _task(request, pk))


@perm_required("feedback.handle_rectification")
@require_POST
def task_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TASK_ACTIONS:
        raise Http404
    task = _task(request, pk)
    form_class, act, _status = TASK_ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        return _task_page(request, task, bound=(action, form), status=400)
    try:
        act(request.user, task, form.cleaned_data)
    except DomainError as error:
        if error.field == "status":
            messages.error(request, error.message)
            return redirect("feedback:task_detail", pk=pk)
        form_error(form, error)
        return _task_page(request, task, bound=(action, form), status=400)
    messages.success(request, _("Saved."))
    return redirect("feedback:task_detail", pk=pk)


# --- complaints and messages ------------------------------------------------------------------


@perm_required(VIEW_FEEDBACK)
def inbox(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "waiting")
    unit_raw = request.GET.get("unit", "")
    raw_month = request.GET.get("month", "")
    month = parse_month(raw_month) if raw_month else None
    if (
        (kind and kind not in FeedbackKind.values)
        or (status and status not in ("waiting", "all") and status not in FeedbackStatus.values)
        or (unit_raw and _int(unit_raw) is None)
        or (raw_month and month is None)
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    filters = selectors.FeedbackFilters(
        kind=kind,
        status="" if status == "all" else status,
        unit_id=_int(unit_raw),
        month=month,
        q=request.GET.get("q", "").strip()[:50],
    )
    page = paginate(
        request, selectors.feedback_list(user=request.user, center=center, filters=filters)
    )
    now = timezone.now()
    context = {
        "page": page,
        "rows": [
            (f, bool(f.is_waiting and f.answer_due and now > f.answer_due))
            for f in page.object_list
        ],
        "filters": filters,
        "status": status,
        "month": raw_month,
        "units": _units(request, center),
        "kinds": FeedbackKind.choices,
        "statuses": FeedbackStatus.choices,
    }
    return render(request, "feedback/inbox.html", context)


def _feedback(request: HttpRequest, pk: int) -> Feedback:
    item = selectors.feedback_get(user=request.user, center=center_or_404(request), pk=pk)
    if item is None:
        raise Http404
    return item


def _feedback_forms(request: HttpRequest, item: Feedback) -> dict[str, forms.Form]:
    user, center = request.user, item.center
    found: dict[str, forms.Form] = {}
    if not item.is_waiting:
        return found
    wide = _wide(request, center)
    if user.has_perm("feedback.route_feedback") and wide:
        units = Unit.objects.filter(center=center, is_active=True).order_by("position", "sort_key")
        found["route"] = RouteForm(
            units=units, initial={"unit": item.unit_id or item.named_unit_id}
        )
    if user.has_perm("feedback.answer_feedback") and (item.unit_id is not None or wide):
        found["answer"] = AnswerForm()
    if user.has_perm("feedback.route_feedback") and wide:
        found["dismiss"] = DismissForm()
    return found


def _feedback_page(
    request: HttpRequest,
    item: Feedback,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    found = _feedback_forms(request, item)
    if bound is not None:
        found[bound[0]] = bound[1]
    phone = item.phone
    if phone and not request.user.has_perm("cases.view_id_number"):
        phone = mask_phone(phone)
    context = {
        "item": item,
        "forms": found,
        "phone": phone,
        "overdue": bool(item.is_waiting and item.answer_due and timezone.now() > item.answer_due),
        "entries": [(e, services.ACTION_NAMES.get(e.action, e.action)) for e in item.entries.all()],
    }
    return render(request, "feedback/feedback_detail.html", context, status=status)


@perm_required(VIEW_FEEDBACK)
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _feedback_page(request, _feedback(request, pk))


def _route_form(request: HttpRequest, item: Feedback) -> RouteForm:
    units = Unit.objects.filter(center=item.center, is_active=True)
    return RouteForm(request.POST, units=units)


FEEDBACK_ACTIONS: dict[str, tuple[Callable[..., forms.Form], Callable[..., Any], str]] = {
    "route": (
        _route_form,
        lambda by, item, data: services.feedback_route(
            by=by, feedback=item, unit=data["unit"], note=data["note"]
        ),
        "feedback.route_feedback",
    ),
    "answer": (
        lambda request, item: AnswerForm(request.POST),
        lambda by, item, data: services.feedback_answer(
            by=by, feedback=item, answer=data["answer"], finding=data["finding"]
        ),
        "feedback.answer_feedback",
    ),
    "dismiss": (
        lambda request, item: DismissForm(request.POST),
        lambda by, item, data: services.feedback_dismiss(
            by=by, feedback=item, reason=data["reason"]
        ),
        "feedback.route_feedback",
    ),
}


@perm_required(VIEW_FEEDBACK)
@require_POST
def feedback_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in FEEDBACK_ACTIONS:
        raise Http404
    make_form, act, perm = FEEDBACK_ACTIONS[action]
    if not request.user.has_perm(perm):
        raise PermissionDenied
    item = _feedback(request, pk)
    form = make_form(request, item)
    if not form.is_valid():
        return _feedback_page(request, item, bound=(action, form), status=400)
    try:
        act(request.user, item, form.cleaned_data)
    except DomainError as error:
        if error.field == "status":
            messages.error(request, error.message)
            return redirect("feedback:feedback_detail", pk=pk)
        form_error(form, error)
        return _feedback_page(request, item, bound=(action, form), status=400)
    messages.success(request, _("Saved."))
    return redirect("feedback:feedback_detail", pk=pk)


# --- figures, overdue, settings ---------------------------------------------------------------


@perm_required(VIEW_RATINGS)
def figures(request: HttpRequest) -> HttpResponse:
    """The month's satisfaction by unit, window and staff, and complaint and rectification counts."""
    center = center_or_404(request)
    raw = request.GET.get("month", "")
    month = parse_month(raw) if raw else timezone.localdate().replace(day=1)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    user = request.user
    counts = selectors.complaint_counts(center=center, month=month, user=user)
    context = {
        "month": month,
        "total": selectors.satisfaction_total(center=center, month=month, user=user),
        "by_unit": selectors.satisfaction(center=center, month=month, by="unit", user=user),
        "by_window": selectors.satisfaction(center=center, month=month, by="window", user=user),
        "by_staff": selectors.satisfaction(center=center, month=month, by="staff", user=user),
        "trend": selectors.satisfaction_by_month(
            center=center, first=shift_month(month, -5), last=month, user=user
        ),
        "counts": counts,
        "sentence": selectors.complaint_sentence(counts),
        "tasks": selectors.rectification_counts(center=center, month=month, user=user),
        "previous": shift_month(month, -1).strftime("%Y-%m"),
        "next": shift_month(month, 1).strftime("%Y-%m"),
    }
    return render(request, "feedback/figures.html", context)


@perm_required(VIEW_TASKS)
def overdue(request: HttpRequest) -> HttpResponse:
    """What stands overdue on a day (today by default): the list supervision reads."""
    center = center_or_404(request)
    raw = request.GET.get("on", "")
    try:
        on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return HttpResponseBadRequest(_("Give the day as YYYY-MM-DD."))
    items = selectors.overdue_feedback(center=center, on=on, user=request.user)
    return render(request, "feedback/overdue.html", {"items": items, "on": on})


@perm_required("feedback.change_feedbacksettings")
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    current = selectors.settings_of(center)
    initial = {
        name: getattr(current, name)
        for name in (
            "contact_days",
            "rectify_days",
            "complaint_days",
            "message_days",
            "max_reopens",
        )
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_settings_update(by=request.user, center=center, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Feedback settings saved."))
            return redirect("feedback:settings")
    status = 400 if form.errors else 200
    return render(request, "feedback/settings.html", {"form": form}, status=status)
