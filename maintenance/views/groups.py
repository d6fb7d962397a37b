"""维保小组管理: groups of a company's workers, their members (qualifications flagged) and their elevators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from core import audit
from core.export import query_without
from core.forms import apply_service_errors
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, object_view
from core.pagination import BadCursor, keyset_page
from core.policies import can, get_for
from core.tenancy import scope_for
from elevators.filters import ElevatorFilter
from elevators.models import Elevator

from .. import services
from ..filters import MaintenanceGroupFilter
from ..forms import AssignCodesForm, MaintenanceGroupForm
from ..models import MaintenanceGroup, MaintenancePlan
from ..services.groups import is_expired
from ..tables import GroupElevatorTable, MaintenanceGroupTable

ELEVATOR_ORDERING = ["register_code", "id"]
ELEVATOR_RELATED = ("use_unit",)
ELEVATOR_COLUMNS = ("register_code", "building", "status", "use_unit__name")
PREVIEW_ROWS = 25


class MaintenanceGroupListView(ObjectListView):
    model = MaintenanceGroup
    table_class = MaintenanceGroupTable
    filterset_class = MaintenanceGroupFilter
    sorts = {"name": (["name", "id"], gettext_lazy("小组名称"))}
    related = ("leader",)
    title = gettext_lazy("维保小组管理")
    export_name = gettext_lazy("维保小组")
    empty_message = gettext_lazy("还没有维保小组")
    toolbar = (
        Button(gettext_lazy("新增"), "maintenance:group_create", "add", style="success", testid="group-create"),
        Button(gettext_lazy("编辑"), "maintenance:group_edit", "change", kind="row", style="primary"),
        Button(gettext_lazy("分配电梯"), "maintenance:group_assign", "change", kind="row"),
    )

    def get_queryset(self):
        return services.with_counts(super().get_queryset())


class MaintenanceGroupDetailView(ObjectDetailView):
    model = MaintenanceGroup
    related = ("leader", "organization")
    template_name = "maintenance/group_detail.html"
    buttons = (
        Button(gettext_lazy("编辑"), "maintenance:group_edit", "change", style="primary", testid="edit"),
        Button(gettext_lazy("分配电梯"), "maintenance:group_assign", "change", style="success", testid="assign"),
        Button(gettext_lazy("删除"), "maintenance:group_delete", "delete", style="outline-danger", testid="delete"),
    )

    def get_queryset(self):
        return services.with_counts(super().get_queryset())

    def get_extra_context(self, group):
        members = [(person, is_expired(person, person.qualified_until)) for person in services.group_members(group)]
        elevators = (
            Elevator.objects.visible_to(self.request.user)
            .filter(group_assignment__group=group)
            .select_related(*ELEVATOR_RELATED)
            .only(*ELEVATOR_COLUMNS)
        )
        try:
            page = keyset_page(elevators, ELEVATOR_ORDERING, self.request.GET.get("cursor"))
        except BadCursor:
            messages.warning(self.request, _("分页链接已失效，已回到第一页。"))
            page = keyset_page(elevators, ELEVATOR_ORDERING, None)
        may_change = can(self.request.user, "change", group)
        table = GroupElevatorTable(page.items, request=self.request)
        table.columns["selection"].column.visible = may_change  # the checkbox serves the 移出小组 form only
        return {
            "can_plan": can(self.request.user, "add", MaintenancePlan),
            "group": group,
            "members": members,
            "page": page,
            "table": table,
            "table_body": table.tbody_html(_("这个小组还没有电梯")),
            "query": query_without(self.request, "cursor"),
            "may_change": may_change,
            "events": audit.events_for(group),
        }


class MaintenanceGroupEditView(ObjectEditView):
    model = MaintenanceGroup
    form_class = MaintenanceGroupForm
    related = ("organization",)
    success_message_create = gettext_lazy("维保小组已创建。")
    success_message_update = gettext_lazy("维保小组已保存。")

    def get_form_kwargs(self, group):
        organization_id = group.organization_id if group else scope_for(self.request.user).organization_id
        return {"instance": group, "organization_id": organization_id}

    def create(self, data, request):
        return services.create_group(actor=request.user, data=data, request=request)

    def update(self, group, data, reason, request):
        return services.update_group(group, actor=request.user, data=data, reason=reason, request=request)


class MaintenanceGroupDeleteView(ObjectActionView):
    model = MaintenanceGroup
    action = "delete"
    title = gettext_lazy("删除维保小组")
    confirm_text = gettext_lazy(
        "删除后，这个小组的电梯不再属于任何小组（可以再分配给其他小组）；操作记录保留删除前的信息和原因。"
    )
    submit_label = gettext_lazy("删除")
    success_message = gettext_lazy("维保小组已删除。")

    def perform(self, group, data, request):
        services.delete_group(group, actor=request.user, reason=data["reason"], request=request)

    def get_success_url(self, group):
        return reverse("maintenance:group_list")

    def get_cancel_url(self, group):
        return group.get_absolute_url()


class AssignFilter(ElevatorFilter):
    """The ledger's filter set on the assign page: the company is the group's, so its name is not asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.form.fields["maintenance_company_name"]


class AssignElevatorsView(LoginRequiredMixin, View):
    """分配电梯: by register codes typed or pasted, or by the ledger's filters (the checked ones, or all N)."""

    model = MaintenanceGroup
    template_name = "maintenance/group_assign.html"

    def get_group(self):
        return get_for(self.request.user, MaintenanceGroup, self.kwargs["pk"], "change")

    def get_filter(self, group):
        base = services.assignable_elevators(group) & Elevator.objects.visible_to(self.request.user)
        return AssignFilter(self.request.GET or None, queryset=base, request=self.request)

    def get(self, request, *args, **kwargs):
        group = self.get_group()
        return self.render(group, AssignCodesForm(), self.get_filter(group))

    def post(self, request, *args, **kwargs):
        group = self.get_group()
        mode = request.POST.get("mode", "codes")
        codes_form = AssignCodesForm(request.POST if mode == "codes" else None)
        filterset = self.get_filter(group)
        try:
            if mode == "codes":
                if not codes_form.is_valid():
                    return self.render(group, codes_form, filterset)
                count = services.assign_elevators(
                    group, self.ids_for_codes(group, codes_form), actor=request.user, request=request
                )
            elif mode == "selected":
                ids = request.POST.getlist("selection")
                if not ids:
                    raise ValidationError(_("请先勾选要分配的电梯。"))
                count = services.assign_elevators(group, ids, actor=request.user, request=request)
            elif mode == "filter":
                if not filterset.is_valid():
                    raise ValidationError(_("筛选条件有误，请修正后再分配。"))
                count = services.assign_elevators(group, filterset.qs, actor=request.user, request=request)
            else:
                raise ValidationError(_("请选择分配方式。"))
        except ValidationError as exc:
            if mode == "codes":
                apply_service_errors(codes_form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
            return self.render(group, codes_form, filterset)
        messages.success(request, _("已将 %(n)s 台电梯分配到“%(group)s”。") % {"n": count, "group": group.name})
        return HttpResponseRedirect(group.get_absolute_url())

    def ids_for_codes(self, group, form):
        """The ids of the codes typed; a code that names no elevator of the company is a field error."""
        codes = form.cleaned_data["codes"]
        found = dict(
            Elevator.objects.visible_to(self.request.user)
            .filter(maintenance_company_id=group.organization_id, register_code__in=codes)
            .values_list("register_code", "pk")
        )
        unknown = [code for code in codes if code not in found]
        if unknown:
            shown = "、".join(unknown[:10]) + (_("等 %(n)s 个") % {"n": len(unknown)} if len(unknown) > 10 else "")
            raise ValidationError({"codes": _("找不到本单位维保的这些电梯：%(codes)s。") % {"codes": shown}})
        return [found[code] for code in codes]

    def render(self, group, codes_form, filterset):
        context = {"object": group, "group": group, "codes_form": codes_form, "filter": filterset}
        if filterset is not None and filterset.is_bound:
            if filterset.is_valid():
                matches = filterset.qs
                preview = list(
                    matches.select_related(*ELEVATOR_RELATED)
                    .only(*ELEVATOR_COLUMNS)
                    .order_by(*ELEVATOR_ORDERING)[:PREVIEW_ROWS]
                )
                table = GroupElevatorTable(preview, request=self.request)
                context.update(
                    match_count=matches.count(),
                    table=table,
                    table_body=table.tbody_html(_("没有符合条件的电梯")),
                    query=self.request.GET.urlencode(),
                    preview_rows=PREVIEW_ROWS,
                )
        return render(self.request, self.template_name, context)


@object_view(MaintenanceGroup)
@login_required
@require_POST
def unassign_elevators(request, pk):
    """移出小组: the elevators checked on the group's page."""
    group = get_for(request.user, MaintenanceGroup, pk, "change")
    try:
        count = services.unassign_elevators(
            group, request.POST.getlist("selection"), actor=request.user, request=request
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已将 %(n)s 台电梯移出小组。") % {"n": count})
    return HttpResponseRedirect(group.get_absolute_url())
