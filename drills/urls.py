from django.urls import path

from . import views

app_name = "drills"
urlpatterns = [
    path("", views.EmergencyDrillListView.as_view(), name="list"),
    path("new/", views.EmergencyDrillEditView.as_view(), name="create"),
    path("<int:pk>/", views.EmergencyDrillDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EmergencyDrillEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.EmergencyDrillDeleteView.as_view(), name="delete"),
]
