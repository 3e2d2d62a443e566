from django.urls import path

from govhall.cases import window_views

urlpatterns = [
    path("desk/", window_views.desk, name="desk"),
    path("desk/intake/", window_views.intake, name="intake"),
    path("list/", window_views.case_list, name="case_list"),
    path("<int:pk>/", window_views.case_detail, name="case_detail"),
    path("<int:pk>/act/<slug:action>/", window_views.case_act, name="case_act"),
    path("<int:pk>/notice/<slug:kind>/", window_views.notice, name="notice"),
    path("uploads/<int:pk>/review/", window_views.upload_review, name="upload_review"),
    path("consultations/", window_views.consultations, name="consultations"),
    path("consultations/log/", window_views.consultation_log, name="consultation_log"),
]
