from django.urls import path

from .views import items, plans

app_name = "maintenance"
urlpatterns = [
    path("items/", items.MaintenanceItemListView.as_view(), name="item_list"),
    path("items/new/", items.MaintenanceItemEditView.as_view(), name="item_create"),
    path("items/<int:pk>/", items.MaintenanceItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", items.MaintenanceItemEditView.as_view(), name="item_edit"),
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/calendar/", plans.PlanCalendarView.as_view(), name="plan_calendar"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/move/", plans.PlanMoveView.as_view(), name="plan_move"),
    path("plans/jobs/<int:pk>/", plans.PlanJobView.as_view(), name="plan_job"),
]
