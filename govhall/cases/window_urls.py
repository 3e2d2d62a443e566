from django.urls import path

from govhall.cases.views import window

urlpatterns = [
    path("desk/", window.desk, name="desk"),
    path("desk/intake/", window.intake, name="intake"),
    path("list/", window.case_list, name="case_list"),
    path("<int:pk>/", window.case_detail, name="case_detail"),
    path("<int:pk>/act/<slug:action>/", window.case_act, name="case_act"),
    path("<int:pk>/notice/<slug:kind>/", window.notice, name="notice"),
    path("uploads/<int:pk>/review/", window.upload_review, name="upload_review"),
    path("consultations/", window.consultations, name="consultations"),
    path("consultations/log/", window.consultation_log, name="consultation_log"),
]
