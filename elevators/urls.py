from django.urls import path

from . import views

app_name = "elevators"
urlpatterns = [
    path("", views.ElevatorListView.as_view(), name="list"),
    path("new/", views.elevator_create, name="create"),
    path("signs.pdf", views.sign_sheet, name="sign_sheet"),
    path("problems/", views.ProblemReportListView.as_view(), name="problem_list"),
    path("problems/<int:pk>/", views.ProblemReportDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/handle/", views.ProblemHandleView.as_view(), name="problem_handle"),
    path("unit-lookup/", views.unit_lookup, name="unit_lookup"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("<int:pk>/", views.ElevatorDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.elevator_edit, name="edit"),
    path("<int:pk>/correct-code/", views.CorrectCodeView.as_view(), name="correct_code"),
    path("<int:pk>/delete/", views.DeleteElevatorView.as_view(), name="delete"),
    path("<int:pk>/components/", views.elevator_components, name="components"),
    path("<int:pk>/landing-doors/", views.elevator_landing_doors, name="landing_doors"),
    path("<int:pk>/qrcode.svg", views.elevator_qr_svg, name="qr_svg"),
    path("<int:pk>/sign.pdf", views.elevator_sign, name="sign"),
    path("<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
]
