from django.urls import path

from . import views

app_name = "elevators"
urlpatterns = [
    path("", views.elevator_list, name="list"),
    path("new/", views.elevator_create, name="create"),
    path("signs.pdf", views.sign_sheet, name="sign_sheet"),
    path("problems/", views.problem_list, name="problem_list"),
    path("unit-lookup/", views.unit_lookup, name="unit_lookup"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("problems/<int:pk>/handle/", views.problem_handle, name="problem_handle"),
    path("<int:pk>/", views.elevator_detail, name="detail"),
    path("<int:pk>/edit/", views.elevator_edit, name="edit"),
    path("<int:pk>/components/", views.elevator_components, name="components"),
    path("<int:pk>/landing-doors/", views.elevator_landing_doors, name="landing_doors"),
    path("<int:pk>/qrcode.svg", views.elevator_qr_svg, name="qr_svg"),
    path("<int:pk>/sign.pdf", views.elevator_sign, name="sign"),
]
