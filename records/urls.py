from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.RecordListView.as_view(), name="list"),
    path("batch.pdf", views.records_batch, {"fmt": "pdf"}, name="batch_pdf"),
    path("batch.zip", views.records_batch, {"fmt": "zip"}, name="batch_zip"),
    path("<int:pk>/", views.RecordDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.record_pdf_view, name="pdf"),
]
