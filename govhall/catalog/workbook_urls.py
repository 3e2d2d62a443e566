from django.urls import path

from govhall.catalog import workbook_views

urlpatterns = [
    path("", workbook_views.workbook, name="workbook"),
    path("template.xlsx", workbook_views.workbook_template, name="workbook_template"),
    path("export.xlsx", workbook_views.workbook_export, name="workbook_export"),
]
