from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.RecordListView.as_view(), name="list"),
    path("batch.pdf", views.records_batch, {"fmt": "pdf"}, name="batch_pdf"),
    path("batch.zip", views.records_batch, {"fmt": "zip"}, name="batch_zip"),
    path("<int:pk>/", views.RecordDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.record_pdf_view, name="pdf"),
    path("<int:pk>/confirm/", views.ConfirmRecordView.as_view(), name="confirm"),
    path("<int:pk>/correct/", views.StartCorrectionView.as_view(), name="correct"),
    path("<int:pk>/correction/", views.CorrectionItemsView.as_view(), name="correction_items"),
    path("<int:pk>/correction/finish/", views.FinishCorrectionView.as_view(), name="correction_finish"),
    path("<int:pk>/correction/approve/", views.ApproveCorrectionView.as_view(), name="approve_correction"),
    path("flagged/", views.FlaggedRecordListView.as_view(), name="flagged"),
    path("repairs/", views.RepairListView.as_view(), name="repair_list"),
    path("repairs/new/", views.RepairEditView.as_view(), name="repair_create"),
    path("repairs/<int:pk>/", views.RepairDetailView.as_view(), name="repair_detail"),
    path("repairs/<int:pk>/edit/", views.RepairEditView.as_view(), name="repair_edit"),
    path("repairs/<int:pk>/pdf/", views.repair_pdf_view, name="repair_pdf"),
    path("repairs/<int:pk>/photos/", views.RepairPhotosView.as_view(), name="repair_photos"),
]
