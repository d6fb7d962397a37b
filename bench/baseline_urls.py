"""The yardstick of a run: a bare Django view rendering 50 ledger rows through the project's middleware.

Its time is the machine's and Django's, not the platform's: it puts the pages' figures of one run in proportion
(this virtual machine's speed varies by half from one hour to the next).
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from elevators.models import Elevator

TEMPLATE = engines["django"].from_string(
    "<table>{% for e in rows %}<tr><td>{{ e.register_code }}</td><td>{{ e.building }}</td>"
    "<td>{{ e.use_unit.name }}</td><td>{{ e.maintenance_company.name }}</td><td>{{ e.get_status_display }}</td>"
    "<td>{{ e.installation_date }}</td></tr>{% endfor %}</table>"
)
BARE_URL = "/__bench__/bare/"
BARE_SQL = (
    "SELECT e.id, e.register_code, e.building, e.status, e.installation_date, u.name, m.name "
    "FROM elevators_elevator e JOIN organizations_organization u ON u.id = e.use_unit_id "
    "JOIN organizations_organization m ON m.id = e.maintenance_company_id ORDER BY e.id LIMIT 50"
)


def bare(request):
    rows = Elevator.objects.select_related("use_unit", "maintenance_company").order_by("id")[:50]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


urlpatterns = [path(BARE_URL.strip("/") + "/", bare), path("", include("config.urls"))]
