"""组织架构 pages: units of every kind, their qualifications, and the region tree."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import audit
from core.forms import apply_service_errors
from core.generic import (
    Button,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    allowed_buttons,
    object_view,
)
from core.policies import can, get_for

from . import services
from .filters import OrganizationFilter
from .forms import OrganizationForm, QualificationForm, ReviewForm
from .models import Organization, OrganizationKind, OrganizationQualification, Region
from .tables import OrganizationTable, RegionTable

LISTED_KINDS = [k for k in OrganizationKind.values if k != OrganizationKind.OPERATOR]


def _kind_or_404(kind: str) -> str:
    if kind not in LISTED_KINDS:
        raise Http404
    return kind


def _map_context():
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.MAP_DEFAULT_CENTER,
    }


class OrganizationListView(ObjectListView):
    """组织架构 and 基本信息查询: the units of one kind the user may see."""

    model = Organization
    table_class = OrganizationTable
    filterset_class = OrganizationFilter
    sorts = {"name": (["name", "id"], gettext_lazy("单位名称"))}
    related = ("region__parent",)
    template_name = "organizations/organization_list.html"
    # the sweep visits the list of every kind
    sweep_kwargs = [{"kind": kind} for kind in LISTED_KINDS]

    def get_queryset(self):
        self.kind = _kind_or_404(self.kwargs["kind"])
        return super().get_queryset().filter(kind=self.kind)

    def get_title(self):
        return f"{_('组织架构')} · {OrganizationKind(self.kind).label}"

    def get_toolbar(self):
        add = Button(_("新增"), "organizations:create", "add", style="success", url_kwargs={"kind": self.kind})
        return allowed_buttons(self.request.user, [add], Organization(kind=self.kind))

    def get_extra_context(self):
        return {"kind": self.kind, "kinds": [(k, OrganizationKind(k).label) for k in LISTED_KINDS]}


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    related = ("region__parent", "jurisdiction")
    template_name = "organizations/organization_detail.html"

    def get_extra_context(self, org):
        user = self.request.user
        changeable = can(user, "change", org)
        visible = Organization.objects.visible_to(user)
        qualifications = OrganizationQualification.objects.filter(organization=org).select_related(
            "business_licence", "qualification_certificate", "self_declaration", "reviewed_by"
        )
        return {
            "org": org,
            "changeable": changeable,
            "qualifications": qualifications,
            "can_review": can(user, "review", OrganizationQualification(organization=org)),
            "review_form": ReviewForm(),
            "served_use_units": visible.filter(pk__in=org.served_use_units.values("pk")).order_by("name"),
            "maintenance_companies": visible.filter(pk__in=org.maintenance_companies.values("pk")).order_by("name"),
            "events": audit.events_for(org) if changeable else [],
            **_map_context(),
        }


class OrganizationEditView(ObjectEditView):
    """新增 a unit of the kind in the URL, or 编辑 one (with a reason)."""

    model = Organization
    form_class = OrganizationForm
    related = ("region",)
    template_name = "organizations/organization_form.html"

    def new_object(self):
        return Organization(kind=_kind_or_404(self.kwargs["kind"]))

    def kind_of(self, obj):
        return obj.kind if obj is not None else self.kwargs["kind"]

    def get_form_kwargs(self, obj):
        return {"instance": obj, "kind": self.kind_of(obj), "editor": self.request.user}

    def get_extra_context(self, obj, form):
        kind = self.kind_of(obj)
        return {"org": obj, "kind": kind, "kind_label": OrganizationKind(kind).label, **_map_context()}

    def create(self, data, request):
        kind = self.kwargs["kind"]
        return services.create_organization(actor=request.user, data={**data, "kind": kind}, request=request)

    def update(self, org, data, reason, request):
        return services.update_organization(org, actor=request.user, data=data, reason=reason, request=request)

    success_message_update = gettext_lazy("单位信息已保存。")

    def success_message(self, org, created):
        return _("单位“%(name)s”已创建。") % {"name": org.name} if created else self.success_message_update

    def get_success_url(self, org):
        if "kind" in self.kwargs:
            return reverse("organizations:list", args=[org.kind])
        return org.get_absolute_url()


@login_required
@object_view(Organization)
def organization_qualification(request, pk):
    org = get_for(request.user, Organization, pk, "submit_qualification")
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_qualification(org, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("资质认证已提交，等待监管单位审核。"))
            return redirect("organizations:detail", pk=pk)
    return render(request, "organizations/qualification_form.html", {"form": form, "org": org})


class QualificationReviewView(ObjectActionView):
    """审核 a unit's qualification: 通过, or 退回 with a reason."""

    model = OrganizationQualification
    action = "review"
    form_class = ReviewForm
    title = gettext_lazy("资质认证审核")
    success_message = gettext_lazy("审核结果已保存。")

    def get_queryset(self):
        return OrganizationQualification.objects.select_related("organization")

    def perform(self, qualification, data, request):
        services.review_qualification(
            qualification,
            actor=request.user,
            request=request,
            approve=data["decision"] == "approve",
            note=data["note"],
        )

    def get_success_url(self, qualification):
        return reverse("organizations:detail", args=[qualification.organization_id])


class RegionListView(ObjectListView):
    model = Region
    table_class = RegionTable
    sorts = {"code": (["code", "id"], gettext_lazy("行政区划代码"))}
    related = ("parent",)
    page_size = 100
    title = gettext_lazy("行政区域")
    template_name = "organizations/region_list.html"


@login_required
@require_POST
@object_view(Region)
def region_pilot(request, pk):
    region = get_for(request.user, Region, pk, "change")
    before = region.in_pilot
    region.in_pilot = request.POST.get("in_pilot") == "1"
    region.save(update_fields=["in_pilot"])
    if before != region.in_pilot:
        audit.record(request.user, "update", region, changes={"in_pilot": [before, region.in_pilot]}, request=request)
    messages.success(request, _("%(name)s 的试点标记已更新。") % {"name": region})
    return redirect("organizations:region_list")
