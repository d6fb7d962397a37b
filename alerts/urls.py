from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("maintenance/", views.MaintenanceWarningListView.as_view(), name="maintenance"),
    path("settings/", views.AlertSettingsView.as_view(), name="settings"),
    path("settings/<int:pk>/edit/", views.AlertSettingsEditView.as_view(), name="settings_edit"),
]
