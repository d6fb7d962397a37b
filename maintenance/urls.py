from django.urls import path

from . import views

app_name = "maintenance"
urlpatterns = [
    path("items/", views.MaintenanceItemListView.as_view(), name="item_list"),
    path("items/new/", views.MaintenanceItemEditView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.MaintenanceItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.MaintenanceItemEditView.as_view(), name="item_edit"),
]
