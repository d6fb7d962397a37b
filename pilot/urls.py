from django.urls import path

from . import views

app_name = "pilot"

urlpatterns = [
    path("", views.PilotListView.as_view(), name="list"),
    path("queue/", views.PilotQueueView.as_view(), name="queue"),
    path("new/", views.create, name="create"),
    path("commitment-template.pdf", views.commitment_template, name="commitment_template"),
    path("<int:pk>/", views.PilotDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/system/", views.system, name="system"),
    path("<int:pk>/documents/", views.documents, name="documents"),
    path("<int:pk>/elevators/", views.add_elevators, name="add_elevators"),
    path("<int:pk>/elevators/remove/", views.remove_elevators, name="remove_elevators"),
    path("<int:pk>/print.pdf", views.print_pdf, name="print"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
]
