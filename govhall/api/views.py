"""The office's page for API tokens: list, issue (the token is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from govhall.api import services
from govhall.api.forms import ClientForm
from govhall.api.models import ApiClient
from govhall.core.access import perm_required
from govhall.core.errors import DomainError
from govhall.org.selectors import center_or_404

PERM = "org.add_membership"


@perm_required(PERM)
def client_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    clients = ApiClient.objects.filter(center=center).select_related("created_by")
    return render(request, "api/client_list.html", {"clients": clients, "center": center})


@perm_required(PERM)
@never_cache
def client_create(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, token = services.api_client_create(
                by=request.user,
                center=center,
                name=form.cleaned_data["name"],
                can_write=form.cleaned_data["can_write"],
            )
        except DomainError as error:
            form.add_error("name" if error.field == "name" else None, error.message)
        else:
            # Rendered, not redirected: the token exists only in this response.
            return render(request, "api/client_issued.html", {"client": client, "token": token})
    context = {
        "form": form,
        "title": _("New API token"),
        "submit_label": _("Issue token"),
        "cancel_url": reverse("api:clients"),
    }
    return render(request, "org/form.html", context)


@perm_required(PERM)
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    client = get_object_or_404(ApiClient, pk=pk, center=center, revoked_at__isnull=True)
    if request.method == "POST":
        try:
            services.api_client_revoke(by=request.user, client=client)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The token of {name} is revoked.").format(name=client.name))
        return redirect("api:clients")
    question = _(
        "Revoke the token of {name} ({prefix}…)? The system's next request will be refused."
    ).format(name=client.name, prefix=client.token_prefix)
    return render(
        request,
        "org/confirm.html",
        {"question": question, "cancel_url": reverse("api:clients")},
    )
