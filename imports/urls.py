from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportJobListView.as_view(), name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("<int:pk>/apply/", views.job_apply, name="apply"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/rejected.xlsx", views.job_rejected, name="rejected"),
    path("<slug:kind>/", views.start, name="start"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
]
