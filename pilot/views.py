"""电梯维护保养试点申请 pages."""

from core.generic import ObjectDetailView

from .models import PilotApplication


class PilotDetailView(ObjectDetailView):
    model = PilotApplication
    template_name = "pilot/pilot_detail.html"
