from django.urls import path

from .views import items

app_name = "maintenance"
urlpatterns = [
    path("items/", items.MaintenanceItemListView.as_view(), name="item_list"),
    path("items/new/", items.MaintenanceItemEditView.as_view(), name="item_create"),
    path("items/<int:pk>/", items.MaintenanceItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", items.MaintenanceItemEditView.as_view(), name="item_edit"),
]
