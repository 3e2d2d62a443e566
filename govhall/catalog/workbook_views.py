"""The catalog workbook pages: download the template or the catalog, upload a filled workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from govhall.catalog.workbook import XLSX_TYPE, build_template, export_catalog, import_workbook
from govhall.core.access import perm_required
from govhall.core.imports import ImportFailed, ImportProblem, import_limits, upload_too_large
from govhall.org.models import Center
from govhall.org.selectors import center_or_404

UPLOAD_PERM = "catalog.review_itemversion"


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Use an .xlsx workbook."))
        too_large = upload_too_large(upload.size)
        if too_large:
            raise forms.ValidationError(too_large)
        return upload


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_http_methods(["GET", "POST"])
@perm_required("catalog.view_serviceitem")
def workbook(request: HttpRequest) -> HttpResponse:
    """Template and export for every catalog reader; upload for the center office."""
    center = center_or_404(request)
    can_upload = request.user.has_perm(UPLOAD_PERM)
    form = WorkbookUploadForm()
    problems: list[ImportProblem] = []
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = _import(form.cleaned_data["file"], center=center, by=request.user)
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
                    _(
                        "Imported {rows} items: {created} created, {updated} updated, "
                        "{unchanged} unchanged."
                    ).format(
                        rows=result.rows,
                        created=result.created,
                        updated=result.updated,
                        unchanged=result.rows - result.created - result.updated,
                    ),
                )
                return redirect("catalog:workbook")
    context = {
        "form": form,
        "problems": problems,
        "can_upload": can_upload,
        "center": center,
        "limits": import_limits(),
    }
    return render(request, "catalog/workbook_page.html", context)


def _import(upload: Any, *, center: Center, by: Any) -> Any:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return import_workbook(path=Path(handle.name), center=center, by=by)


@require_GET
@perm_required("catalog.view_serviceitem")
def workbook_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(build_template(), "事项库导入模板.xlsx")


@require_GET
@perm_required("catalog.view_serviceitem")
def workbook_export(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    today = timezone.localdate().isoformat()
    return _xlsx(
        export_catalog(center=center, user=request.user),
        f"{center.name}事项库-{today}.xlsx",
    )
