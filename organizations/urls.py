from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<int:pk>/pilot/", views.region_pilot, name="region_pilot"),
    path("units/<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("units/<int:pk>/edit/", views.OrganizationEditView.as_view(), name="edit"),
    path("units/<int:pk>/qualification/", views.organization_qualification, name="qualification"),
    path("qualifications/<int:pk>/review/", views.QualificationReviewView.as_view(), name="qualification_review"),
    path("<str:kind>/", views.OrganizationListView.as_view(), name="list"),
    path("<str:kind>/new/", views.OrganizationEditView.as_view(), name="create"),
]
