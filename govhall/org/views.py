"""The hall's front door (home page, center switch) and the office's organization pages: units,
windows, staff, A/B posts, accounts, imports."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.imports import KINDS, ImportFailed, import_limits, run_import
from govhall.core.uploads import IMAGES, file_response
from govhall.core.views import paginate
from govhall.org import services
from govhall.org.choices import Role, StaffRole
from govhall.org.dashboard import dashboard_for
from govhall.org.forms import (
    AccountForm,
    ImportForm,
    NewAccountForm,
    PostForm,
    StaffForm,
    UnitForm,
    WindowForm,
)
from govhall.org.models import Center, Post, Staff, Unit
from govhall.org.scoping import scoped
from govhall.org.selectors import (
    CENTER_SESSION_KEY,
    center_choices_for,
    center_or_404,
    cover_candidates,
    current_center,
    membership_list,
    post_list,
    staff_list,
    unit_list,
    window_list,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    center = current_center(request)
    context = {"dashboard": dashboard_for(request.user, center) if center else None}
    return render(request, "org/home.html", context)


@login_required
@require_POST
def center_switch(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("center", "")
    center = (
        center_choices_for(request.user).filter(pk=wanted).first() if wanted.isdigit() else None
    )
    if center is None:
        messages.error(request, _("You do not belong to that center."))
    else:
        request.session[CENTER_SESSION_KEY] = center.pk
    target = request.META.get("HTTP_REFERER", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


# --- units and windows -----------------------------------------------------------------------


@perm_required("org.view_unit")
def unit_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    q = request.GET.get("q", "").strip()
    show = request.GET.get("show", "active")
    active = {"active": True, "inactive": False}.get(show)
    units = unit_list(user=request.user, center=center, q=q, active=active)
    return render(
        request, "org/unit_list.html", {"page": paginate(request, units), "q": q, "show": show}
    )


@perm_required("org.view_unit")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    unit = get_object_or_404(unit_list(user=request.user, center=center, active=None), pk=pk)
    context = {
        "unit": unit,
        "windows": window_list(user=request.user, center=center, unit=unit),
        "staff": staff_list(user=request.user, center=center, unit_id=unit.pk),
        "posts": post_list(user=request.user, center=center, unit_id=unit.pk),
    }
    return render(request, "org/unit_detail.html", context)


@perm_required("org.add_unit")
def unit_create_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=request.user, center=center, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Unit {name} added.").format(name=unit.name))
            return redirect("org:unit_detail", unit.pk)
    return render(request, "org/form.html", {"form": form, "title": _("Add a unit")})


@perm_required("org.change_unit")
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        scoped(Unit.objects.filter(center=center_or_404(request)), request.user, unit="id"), pk=pk
    )
    initial = {"name": unit.name, "full_name": unit.full_name, "position": unit.position}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(by=request.user, unit=unit, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Unit {name} saved.").format(name=unit.name))
            return redirect("org:unit_detail", unit.pk)
    return render(
        request, "org/form.html", {"form": form, "title": _("Edit {name}").format(name=unit.name)}
    )


@perm_required("org.change_unit")
def unit_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop or resume a unit, after a confirmation page."""
    unit = get_object_or_404(
        scoped(Unit.objects.filter(center=center_or_404(request)), request.user, unit="id"), pk=pk
    )
    if request.method == "POST":
        try:
            services.unit_update(by=request.user, unit=unit, is_active=not unit.is_active)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Unit {name} updated.").format(name=unit.name))
        return redirect("org:unit_detail", unit.pk)
    question = (
        _("Stop unit {name}? It disappears from the hall's lists; its history is kept.")
        if unit.is_active
        else _("Resume unit {name}?")
    ).format(name=unit.name)
    return render(
        request,
        "org/confirm.html",
        {"question": question, "cancel_url": reverse("org:unit_detail", args=[unit.pk])},
    )


@perm_required("org.add_window")
def window_create_view(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(
        scoped(Unit.objects.filter(center=center_or_404(request)), request.user, unit="id"),
        pk=unit_pk,
    )
    form = WindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_create(by=request.user, unit=unit, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Window added."))
            return redirect("org:unit_detail", unit.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Add a window to {unit}").format(unit=unit.name)},
    )


@perm_required("org.change_window")
def window_edit(request: HttpRequest, pk: int) -> HttpResponse:
    window = get_object_or_404(window_list(user=request.user, center=center_or_404(request)), pk=pk)
    initial = {"name": window.name, "number": window.number, "floor": window.floor}
    form = WindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_update(by=request.user, window=window, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Window saved."))
            return redirect("org:unit_detail", window.unit_id)
    return render(
        request, "org/form.html", {"form": form, "title": _("Edit {name}").format(name=window)}
    )


# --- staff ------------------------------------------------------------------------------------


@perm_required("org.view_staff")
def staff_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    q = request.GET.get("q", "").strip()
    unit_id = request.GET.get("unit", "")
    role = request.GET.get("role", "")
    staff = staff_list(
        user=request.user,
        center=center,
        q=q,
        unit_id=int(unit_id) if unit_id.isdigit() else None,
        role=role if role in StaffRole.values else "",
    )
    context = {
        "page": paginate(request, staff),
        "units": unit_list(user=request.user, center=center),
        "roles": StaffRole.choices,
        "filters": {"q": q, "unit": unit_id, "role": role},
    }
    return render(request, "org/staff_list.html", context)


def _staff_form(request: HttpRequest, center: Center, **kwargs: Any) -> StaffForm:
    units = scoped(Unit.objects.filter(center=center, is_active=True), request.user, unit="id")
    windows = window_list(user=request.user, center=center).filter(is_active=True)
    return StaffForm(
        request.POST or None, request.FILES or None, units=units, windows=windows, **kwargs
    )


def _staff_saved(
    request: HttpRequest, form: StaffForm, save: Callable[[dict[str, Any]], Staff]
) -> Staff:
    """The staff member saved with their photo, or neither (one transaction)."""
    data = dict(form.cleaned_data)
    photo = data.pop("photo", None)
    with transaction.atomic():
        staff = save(data)
        if photo is False:  # the "clear" box of the photo field
            services.staff_photo_set(by=request.user, staff=staff, photo=None)
        elif photo:
            services.staff_photo_set(by=request.user, staff=staff, photo=photo)
    return staff


@perm_required("org.add_staff")
def staff_create_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = _staff_form(request, center, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        try:
            staff = _staff_saved(
                request, form, lambda data: services.staff_create(by=request.user, **data)
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("{name} added.").format(name=staff.name))
            return redirect("org:unit_detail", staff.unit_id)
    return render(request, "org/form.html", {"form": form, "title": _("Add a staff member")})


@perm_required("org.change_staff")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    staff = get_object_or_404(staff_list(user=request.user, center=center, active=None), pk=pk)
    initial = {
        "name": staff.name,
        "unit": staff.unit_id,
        "window": staff.window_id,
        "role": staff.role,
        "phone": staff.phone,
        "staff_no": staff.staff_no,
        "photo": staff.photo or None,
    }
    form = _staff_form(request, center, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _staff_saved(
                request,
                form,
                lambda data: services.staff_update(by=request.user, staff=staff, **data),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("{name} saved.").format(name=staff.name))
            return redirect("org:unit_detail", staff.unit_id)
    return render(
        request, "org/form.html", {"form": form, "title": _("Edit {name}").format(name=staff.name)}
    )


@perm_required("org.view_staff")
def staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A staff member's photo, for the window's rating pad and screen."""
    staff = get_object_or_404(
        staff_list(user=request.user, center=center_or_404(request), active=None), pk=pk
    )
    return file_response(staff.photo, name_parts=(staff.name,), allowed=IMAGES, public=False)


@perm_required("org.change_staff")
def staff_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """End or resume a person's posting to the hall, after a confirmation page."""
    staff = get_object_or_404(
        staff_list(user=request.user, center=center_or_404(request), active=None), pk=pk
    )
    if request.method == "POST":
        try:
            services.staff_update(by=request.user, staff=staff, is_active=not staff.is_active)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("{name} updated.").format(name=staff.name))
        return redirect("org:unit_detail", staff.unit_id)
    question = (
        _("End {name}'s posting to the hall? Their records are kept.")
        if staff.is_active
        else _("Post {name} to the hall again?")
    ).format(name=staff.name)
    return render(
        request,
        "org/confirm.html",
        {"question": question, "cancel_url": reverse("org:unit_detail", args=[staff.unit_id])},
    )


@perm_required("org.add_membership")
def staff_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a staff member a login with the role matching their post."""
    center = center_or_404(request)
    staff = get_object_or_404(staff_list(user=request.user, center=center), pk=pk)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = Role.CHIEF if staff.role == StaffRole.CHIEF else Role.WINDOW_STAFF
        try:
            services.account_create(
                by=request.user, center=center, staff=staff, role=role, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("{name} can now log in.").format(name=staff.name))
            return redirect("org:unit_detail", staff.unit_id)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Login account for {name}").format(name=staff.name)},
    )


@perm_required("org.view_membership")
def account_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    memberships = membership_list(
        user=request.user, center=center, q=q, role=role if role in Role.values else ""
    )
    context = {
        "page": paginate(request, memberships),
        "roles": Role.choices,
        "filters": {"q": q, "role": role},
    }
    return render(request, "org/account_list.html", context)


@perm_required("org.add_membership")
def account_create_view(request: HttpRequest) -> HttpResponse:
    """A login for someone who is not window staff: office, leaders, supervisors."""
    center = center_or_404(request)
    units = scoped(Unit.objects.filter(center=center, is_active=True), request.user, unit="id")
    form = NewAccountForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_create(by=request.user, center=center, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Account {name} created.").format(name=form.cleaned_data["username"])
            )
            return redirect("org:account_list")
    return render(request, "org/form.html", {"form": form, "title": _("New login account")})


@perm_required("org.change_membership")
def account_toggle(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Suspend or restore a login, after a confirmation page."""
    memberships = membership_list(user=request.user, center=center_or_404(request)).filter(
        user_id=user_pk
    )
    membership = memberships.first()
    if membership is None:
        raise Http404
    account = membership.user
    if request.method == "POST":
        try:
            services.account_set_active(by=request.user, user=account, active=not account.is_active)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Account {name} updated.").format(name=account.username))
        return redirect("org:account_list")
    question = (
        _("Suspend the login {name}? The person can no longer log in; their records are kept.")
        if account.is_active
        else _("Restore the login {name}?")
    ).format(name=account.username)
    return render(
        request,
        "org/confirm.html",
        {"question": question, "cancel_url": reverse("org:account_list")},
    )


# --- A/B posts --------------------------------------------------------------------------------


@perm_required("org.view_post")
def post_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    unit_id = request.GET.get("unit", "")
    posts = post_list(
        user=request.user, center=center, unit_id=int(unit_id) if unit_id.isdigit() else None
    )
    uncovered = staff_list(user=request.user, center=center).filter(
        window__isnull=False, primary_post__isnull=True
    )
    context = {
        "page": paginate(request, posts),
        "uncovered": uncovered,
        "units": unit_list(user=request.user, center=center),
        "filters": {"unit": unit_id},
    }
    return render(request, "org/post_list.html", context)


@perm_required("org.change_post")
def post_edit(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """Name or change the backup of one person's post."""
    center = center_or_404(request)
    primary = get_object_or_404(staff_list(user=request.user, center=center), pk=staff_pk)
    # B角: of the same unit, never the person (another unit only for a one-person unit).
    candidates = cover_candidates(staff=primary, among=staff_list(user=request.user, center=center))
    post = Post.objects.filter(primary=primary).first()
    form = PostForm(
        request.POST or None,
        candidates=candidates,
        initial={"backup": post.backup_id if post else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_set(by=request.user, primary=primary, backup=form.cleaned_data["backup"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Backup for {name} saved.").format(name=primary.name))
            return redirect("org:post_list")
    title = _("Backup (B role) for {name}").format(name=primary.name)
    return render(request, "org/form.html", {"form": form, "title": title})


@perm_required("org.change_post")
def post_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(post_list(user=request.user, center=center_or_404(request)), pk=pk)
    if request.method == "POST":
        services.post_remove(by=request.user, post=post)
        messages.success(request, _("The A/B post was removed."))
        return redirect("org:post_list")
    question = _(
        "Remove the A/B post of {primary} (backup {backup})? The window will have no named cover."
    ).format(primary=post.primary.name, backup=post.backup.name)
    return render(
        request, "org/confirm.html", {"question": question, "cancel_url": reverse("org:post_list")}
    )


# --- import -----------------------------------------------------------------------------------


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX of any registered kind; all rows or none are imported."""
    if not request.user.has_perm("org.add_staff"):
        raise Http404
    center = center_or_404(request)
    kinds = [(name, str(spec.description or name)) for name, spec in sorted(KINDS.items())]
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                result = run_import(
                    kind=form.cleaned_data["kind"],
                    path=Path(handle.name),
                    center=center,
                    by=request.user,
                )
            except ImportFailed as failed:
                problems = failed.problems
                messages.error(
                    request,
                    _("Nothing was imported: {count} problem(s) found.").format(
                        count=len(problems)
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Imported {rows} rows: {created} created, {updated} updated.").format(
                        rows=result.rows, created=result.created, updated=result.updated
                    ),
                )
                return redirect("org:import")
    specs = [KINDS[name] for name, _label in kinds]
    context = {"form": form, "problems": problems, "specs": specs, "limits": import_limits()}
    return render(request, "org/import.html", context)
