"""Staff pages of the catalog."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.core.access import perm_required


@perm_required("catalog.view_serviceitem")
def item_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/item_list.html", {})
