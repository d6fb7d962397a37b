from django.urls import path

from .views import groups, items

app_name = "maintenance"
urlpatterns = [
    path("items/", items.MaintenanceItemListView.as_view(), name="item_list"),
    path("items/new/", items.MaintenanceItemEditView.as_view(), name="item_create"),
    path("items/<int:pk>/", items.MaintenanceItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", items.MaintenanceItemEditView.as_view(), name="item_edit"),
    path("groups/", groups.MaintenanceGroupListView.as_view(), name="group_list"),
    path("groups/new/", groups.MaintenanceGroupEditView.as_view(), name="group_create"),
    path("groups/<int:pk>/", groups.MaintenanceGroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", groups.MaintenanceGroupEditView.as_view(), name="group_edit"),
    path("groups/<int:pk>/delete/", groups.MaintenanceGroupDeleteView.as_view(), name="group_delete"),
    path("groups/<int:pk>/assign/", groups.AssignElevatorsView.as_view(), name="group_assign"),
    path("groups/<int:pk>/unassign/", groups.unassign_elevators, name="group_unassign"),
]
