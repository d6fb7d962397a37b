"""/api/v1/mobile: what the worker's phone reads (its day, a record's state); it writes through
/api/v1/maintenance/records like any other client."""

from django.views.decorators.gzip import gzip_page
from ninja import Router, Schema
from ninja.decorators import decorate_view

from api.errors import with_errors
from core.policies import get_for
from records.models import MaintenanceRecord
from records.services import Position

from . import services

router = Router(tags=["mobile"])


class AgendaOut(Schema):
    today: str
    generated_at: str
    visits: list[dict]
    catalogues: dict
    in_progress: list[dict]
    default_work_types: dict


@router.get("/agenda", response=with_errors(AgendaOut))
@decorate_view(gzip_page)  # a week of visits with their item lists is mostly repeated text (no secret in it)
def agenda(request, latitude: str = "", longitude: str = ""):
    """The worker's visits (overdue, today, the coming week) with the items each will do, nearest first when
    the phone sends its position; his visits in progress."""
    lat = lng = None
    if latitude and longitude:
        position = Position(latitude, longitude)  # 422 in words for a position that is not one
        lat, lng = position.latitude, position.longitude
    return services.agenda(request.user, latitude=lat, longitude=lng)


@router.get("/records/{int:maintenancerecord_id}", response=with_errors(dict, not_found=True))
def record_state(request, maintenancerecord_id: int):
    """One record as the phone keeps it (items with their rules and answers)."""
    queryset = MaintenanceRecord.objects.select_related("elevator__use_unit").prefetch_related(
        "items__item", "workers__user", "elevator__components"
    )
    return services.record_state(get_for(request.user, MaintenanceRecord, maintenancerecord_id, queryset=queryset))
