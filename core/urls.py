from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("attachments/<int:pk>/", views.download_attachment, name="attachment"),
    path("healthz", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
]
