from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<int:pk>/pilot/", views.region_pilot, name="region_pilot"),
    path("units/<int:pk>/", views.organization_detail, name="detail"),
    path("units/<int:pk>/edit/", views.organization_edit, name="edit"),
    path("units/<int:pk>/qualification/", views.organization_qualification, name="qualification"),
    path(
        "units/<int:pk>/qualification/<int:qualification_id>/review/",
        views.qualification_review,
        name="qualification_review",
    ),
    path("<str:kind>/", views.organization_list, name="list"),
    path("<str:kind>/new/", views.organization_create, name="create"),
]
