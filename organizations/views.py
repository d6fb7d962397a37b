"""组织架构 pages: units of every kind, their qualifications, and the region tree."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core import audit
from core.export import EXPORT_FORMATS, export_response, query_without
from core.forms import apply_service_errors
from core.permissions import creatable_org_kinds, require
from core.workflow import TransitionError

from . import services
from .filters import OrganizationFilter
from .forms import OrganizationForm, QualificationForm, ReviewForm
from .models import Organization, OrganizationKind, OrganizationQualification, Region
from .tables import OrganizationTable, RegionTable


def _kind_or_404(kind: str) -> str:
    if kind not in OrganizationKind.values or kind == OrganizationKind.OPERATOR:
        raise Http404
    return kind


def _map_context():
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.MAP_DEFAULT_CENTER,
    }


EXPORT_COLUMNS = [
    (_("单位名称"), lambda o: o.name),
    (_("统一社会信用代码"), lambda o: o.credit_code),
    (_("所在区域"), lambda o: o.region.full_name),
    (_("单位地址"), lambda o: o.address),
    (_("法定代表人（负责人）"), lambda o: o.legal_representative),
    (_("法定代表人电话"), lambda o: o.legal_representative_phone),
    (_("联系人"), lambda o: o.contact_name),
    (_("联系人电话"), lambda o: o.contact_phone),
    (_("纬度"), lambda o: o.latitude),
    (_("经度"), lambda o: o.longitude),
]


@login_required
def organization_list(request, kind):
    kind = _kind_or_404(kind)
    queryset = Organization.objects.visible_to(request.user).filter(kind=kind).select_related("region__parent")
    org_filter = OrganizationFilter(request.GET or None, queryset=queryset.order_by("name"))
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return export_response(
            org_filter.qs.iterator(chunk_size=2000), EXPORT_COLUMNS, fmt, str(OrganizationKind(kind).label)
        )
    table = OrganizationTable(org_filter.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "organizations/organization_list.html",
        {
            "table": table,
            "filter": org_filter,
            "kind": kind,
            "kind_label": OrganizationKind(kind).label,
            "kinds": [(k, label) for k, label in OrganizationKind.choices if k != OrganizationKind.OPERATOR],
            "can_create": kind in creatable_org_kinds(request.user),
            "query": query_without(request, "page", "export"),
        },
    )


def _changeable_org(request, pk):
    """404 outside the gate; 403 when the unit is visible but not this user's to change."""
    org = get_object_or_404(Organization.objects.visible_to(request.user).select_related("region"), pk=pk)
    if not services.can_change_organization(request.user, pk):
        raise PermissionDenied(_("您不能修改该单位的信息。"))
    return org


@login_required
def organization_detail(request, pk):
    org = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related("region__parent", "jurisdiction"), pk=pk
    )
    changeable = services.can_change_organization(request.user, pk)
    visible = Organization.objects.visible_to(request.user)
    qualifications = org.qualifications.select_related(
        "business_licence", "qualification_certificate", "self_declaration", "reviewed_by"
    )
    can_review = services.can_review_qualification(request.user, org.pk)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "org": org,
            "changeable": changeable,
            "qualifications": qualifications,
            "can_review": can_review,
            "review_form": ReviewForm(),
            "served_use_units": visible.filter(pk__in=org.served_use_units.values("pk")).order_by("name"),
            "maintenance_companies": visible.filter(pk__in=org.maintenance_companies.values("pk")).order_by("name"),
            "events": audit.events_for(org) if changeable else [],
            **_map_context(),
        },
    )


@login_required
def organization_create(request, kind):
    kind = _kind_or_404(kind)
    if kind not in creatable_org_kinds(request.user):
        raise PermissionDenied(_("您不能新增该类别的单位。"))
    form = OrganizationForm(request.POST or None, kind=kind, editor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(
                actor=request.user, data={**form.cleaned_data, "kind": kind}, request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("单位“%(name)s”已创建。") % {"name": org.name})
            return redirect("organizations:list", kind=kind)
    return render(
        request,
        "organizations/organization_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": OrganizationKind(kind).label,
            "creating": True,
            **_map_context(),
        },
    )


@login_required
def organization_edit(request, pk):
    org = _changeable_org(request, pk)
    form = OrganizationForm(request.POST or None, instance=org, kind=org.kind, editor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                Organization.objects.get(pk=pk), actor=request.user, data=form.cleaned_data, request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("单位信息已保存。"))
            return redirect("organizations:detail", pk=pk)
    return render(
        request,
        "organizations/organization_form.html",
        {
            "form": form,
            "org": org,
            "kind": org.kind,
            "kind_label": org.get_kind_display(),
            "creating": False,
            **_map_context(),
        },
    )


@login_required
def organization_qualification(request, pk):
    org = _changeable_org(request, pk)
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


@login_required
@require_POST
def qualification_review(request, pk, qualification_id):
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    qualification = get_object_or_404(OrganizationQualification, pk=qualification_id, organization=org)
    if not services.can_review_qualification(request.user, org.pk):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect("organizations:detail", pk=pk)
    try:
        services.review_qualification(
            qualification,
            actor=request.user,
            request=request,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("审核结果已保存。"))
    return redirect("organizations:detail", pk=pk)


@login_required
def region_list(request):
    queryset = Region.objects.visible_to(request.user).select_related("parent")
    table = RegionTable(queryset)
    RequestConfig(request, paginate={"per_page": 60}).configure(table)
    return render(request, "organizations/region_list.html", {"table": table})


@login_required
@require_POST
def region_pilot(request, pk):
    require(request.user, "regions.change")
    region = get_object_or_404(Region, pk=pk)
    before = region.in_pilot
    region.in_pilot = request.POST.get("in_pilot") == "1"
    region.save(update_fields=["in_pilot"])
    if before != region.in_pilot:
        audit.record(request.user, "update", region, changes={"in_pilot": [before, region.in_pilot]}, request=request)
    messages.success(request, _("%(name)s 的试点标记已更新。") % {"name": region})
    return redirect("organizations:region_list")
