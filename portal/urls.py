from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("bureaus/", views.bureaus, name="bureaus"),
    path("guide/pilot/", views.pilot_guide, name="pilot_guide"),
]
