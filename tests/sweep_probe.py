"""A URLconf with object pages the sweep must refuse (tests/test_isolation.py): the project's own plus two faulty."""

from django.http import HttpResponse
from django.urls import include, path

from core.generic import object_view
from elevators.models import Elevator


def undeclared(request, pk):
    return HttpResponse("no model declared")


@object_view(Elevator)
def declared(request, pk):
    return HttpResponse("declared")


def second_id(request, pk, thing_id):
    return HttpResponse("two ids")


probe = (
    [
        path("undeclared/<int:pk>/", undeclared, name="undeclared"),
        path("declared/<int:pk>/", declared, name="declared"),
        path("second/<int:pk>/<int:thing_id>/", second_id, name="second_id"),
    ],
    "probe",
)
urlpatterns = [path("", include("config.urls")), path("probe/", include(probe))]
