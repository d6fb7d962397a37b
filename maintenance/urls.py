from django.urls import path

from .views import calendar, groups, items, plans

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
    path("holidays/", calendar.HolidayYearView.as_view(), name="holiday_year"),
    path("holidays/new/", calendar.HolidayEditView.as_view(), name="holiday_create"),
    path("holidays/<int:pk>/edit/", calendar.HolidayEditView.as_view(), name="holiday_edit"),
    path("holidays/<int:pk>/delete/", calendar.HolidayDeleteView.as_view(), name="holiday_delete"),
    path("planning/", calendar.PlanningSettingsView.as_view(), name="planning_settings"),
    path("planning/<int:pk>/edit/", calendar.PlanningSettingsEditView.as_view(), name="planning_settings_edit"),
    path("on-demand/", calendar.OnDemandListView.as_view(), name="on_demand_list"),
    path("on-demand/new/", calendar.OnDemandEditView.as_view(), name="on_demand_create"),
    path("on-demand/<int:pk>/edit/", calendar.OnDemandEditView.as_view(), name="on_demand_edit"),
    path("on-demand/<int:pk>/remove/", calendar.OnDemandRemoveView.as_view(), name="on_demand_remove"),
    path("groups/", groups.MaintenanceGroupListView.as_view(), name="group_list"),
    path("groups/new/", groups.MaintenanceGroupEditView.as_view(), name="group_create"),
    path("groups/<int:pk>/", groups.MaintenanceGroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", groups.MaintenanceGroupEditView.as_view(), name="group_edit"),
    path("groups/<int:pk>/delete/", groups.MaintenanceGroupDeleteView.as_view(), name="group_delete"),
    path("groups/<int:pk>/assign/", groups.AssignElevatorsView.as_view(), name="group_assign"),
    path("groups/<int:pk>/unassign/", groups.unassign_elevators, name="group_unassign"),
]
