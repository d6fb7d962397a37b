"""应急演练: the list, a drill's page, 登记/编辑 and 删除, and the elevator page's line about its last drill."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core import audit
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from core.models import Attachment
from core.policies import can
from core.tenancy import scope_for

from . import services
from .categories import CATEGORIES, codes_of, label_of
from .filters import EmergencyDrillFilter
from .forms import EmergencyDrillForm
from .models import PHOTO_PURPOSE, EmergencyDrill
from .tables import EmergencyDrillTable


def _count(rows, column):
    counted = rows.order_by().values(column).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(queryset):
    """Drills with `elevator_count` and `photo_count`, each a sub-select: a page costs one query."""
    Through = EmergencyDrill.elevators.through
    photos = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(EmergencyDrill),
        owner_id=Cast(OuterRef("pk"), output_field=CharField()),
        purpose=PHOTO_PURPOSE,
    )
    return queryset.annotate(
        elevator_count=_count(Through.objects.filter(emergencydrill_id=OuterRef("pk")), "emergencydrill_id"),
        photo_count=_count(photos, "owner_id"),
    )


class EmergencyDrillListView(ObjectListView):
    model = EmergencyDrill
    table_class = EmergencyDrillTable
    filterset_class = EmergencyDrillFilter
    sorts = {
        "-held": (["-held_on", "-id"], gettext_lazy("演练日期（最近的在前）")),
        "held": (["held_on", "id"], gettext_lazy("演练日期")),
    }
    related = ("organization",)
    page_size = 50
    title = gettext_lazy("应急演练")
    export_name = gettext_lazy("应急演练")
    empty_message = gettext_lazy("还没有应急演练记录")
    toolbar = (Button(gettext_lazy("登记演练"), "drills:create", "add", style="success", testid="drill-create"),)

    def get_queryset(self):
        return with_counts(super().get_queryset())


class EmergencyDrillDetailView(ObjectDetailView):
    model = EmergencyDrill
    related = ("organization", "created_by")
    template_name = "drills/drill_detail.html"
    buttons = (
        Button(gettext_lazy("编辑"), "drills:edit", "change", style="primary", testid="edit"),
        Button(gettext_lazy("删除"), "drills:delete", "delete", style="outline-danger", testid="delete"),
    )

    def get_extra_context(self, drill):
        elevators = drill.elevators.order_by("register_code").only(
            "id", "register_code", "building", "device_category", "status"
        )
        return {
            "photos": list(drill.photos()),
            "elevators": [(e, label_of(e.parameter_group)) for e in elevators],
            "participants": list(drill.participants.order_by("full_name", "username")),
            "events": audit.events_for(drill),
        }


class EmergencyDrillEditView(ObjectEditView):
    model = EmergencyDrill
    form_class = EmergencyDrillForm
    success_message_create = gettext_lazy("应急演练已登记。")
    success_message_update = gettext_lazy("应急演练已保存。")

    def get_form_kwargs(self, drill):
        organization_id = drill.organization_id if drill else scope_for(self.request.user).organization_id
        kwargs = {"instance": drill, "organization_id": organization_id}
        if drill is None:
            kwargs["initial"] = self.prefill(organization_id)
        return kwargs

    def prefill(self, organization_id) -> dict:
        """From 应急演练预警's 登记演练 (?category=traction): that category's elevators in use; from an elevator's
        page (?elevator=<id>): that elevator."""
        initial = {}
        category = self.request.GET.get("category")
        elevators = services.drillable_elevators(organization_id)
        if category in CATEGORIES.values:
            from alerts.services import SILENT_STATUSES

            chosen = elevators.filter(device_category__in=codes_of(category)).exclude(status__in=SILENT_STATUSES)
            initial["elevators"] = list(chosen.values_list("pk", flat=True))
        elif (self.request.GET.get("elevator") or "").isdigit():
            initial["elevators"] = list(
                elevators.filter(pk=int(self.request.GET["elevator"])).values_list("pk", flat=True)
            )
        return initial

    def create(self, data, request):
        photos = data.pop("photos", None) or []
        return services.create_drill(actor=request.user, data=data, photos=photos, request=request)

    def update(self, drill, data, reason, request):
        photos = data.pop("photos", None) or []
        remove = data.pop("remove_photos", None) or []
        return services.update_drill(
            drill, actor=request.user, data=data, photos=photos, remove_photos=remove, reason=reason, request=request
        )


class EmergencyDrillDeleteView(ObjectActionView):
    model = EmergencyDrill
    action = "delete"
    title = gettext_lazy("删除应急演练")
    confirm_text = gettext_lazy("只删除误登记的演练；操作记录保留删除前的内容和原因。")
    submit_label = gettext_lazy("删除")
    success_message = gettext_lazy("应急演练已删除。")

    def perform(self, drill, data, request):
        services.delete_drill(drill, actor=request.user, reason=data["reason"], request=request)

    def get_success_url(self, drill):
        return reverse("drills:list")

    def get_cancel_url(self, drill):
        return drill.get_absolute_url()


def elevator_drill_panel(request, elevator):
    """The elevator page's line: its last drill that the person may read (a panel the elevators app shows)."""
    if not can(request.user, "list", EmergencyDrill):
        return ""
    last = (
        EmergencyDrill.objects.visible_to(request.user)
        .filter(elevators=elevator)
        .order_by("-held_on", "-id")
        .only("id", "held_on", "subject")
        .first()
    )
    may_add = can(request.user, "add", EmergencyDrill) and (
        elevator.maintenance_company_id == scope_for(request.user).organization_id
    )
    return render_to_string(
        "drills/_elevator_drill.html", {"elevator": elevator, "last": last, "may_add": may_add}, request=request
    )
