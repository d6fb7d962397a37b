from django.urls import path

from . import views

app_name = "pilot"

urlpatterns = [
    path("<int:pk>/", views.PilotDetailView.as_view(), name="detail"),
]
