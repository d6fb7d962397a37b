"""维保合同 pages: the list, a contract with its elevators, file and history, the form (新增, 编辑, 续签), 提前终止,
and the elevator page's panel."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.generic import Button, ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from core.policies import can, get_for
from core.tenancy import scope_for
from elevators.models import Elevator

from . import services
from .filters import ContractFilter
from .forms import ContractForm, TerminateForm
from .models import MaintenanceContract
from .tables import ContractTable

RELATED = ("maintenance_company", "use_unit")


def with_elevators(queryset):
    elevators = Elevator.objects.only("register_code", "building").order_by("register_code")
    return queryset.prefetch_related(Prefetch("elevators", queryset=elevators))


class ContractListView(ObjectListView):
    model = MaintenanceContract
    table_class = ContractTable
    filterset_class = ContractFilter
    template_name = "contracts/contract_list.html"
    related = RELATED
    sorts = {
        "ends": (["ends_on", "id"], gettext_lazy("到期日")),
        "-ends": (["-ends_on", "-id"], gettext_lazy("到期日（倒序）")),
    }
    title = gettext_lazy("维保合同")
    export_name = gettext_lazy("维保合同")
    empty_message = gettext_lazy("没有维保合同")
    toolbar = (Button(gettext_lazy("新增"), "contracts:create", "add", style="success", testid="contract-create"),)

    def get_queryset(self):
        return with_elevators(super().get_queryset())


class ContractDetailView(ObjectDetailView):
    model = MaintenanceContract
    template_name = "contracts/contract_detail.html"
    related = (*RELATED, "contract_file", "created_by")
    buttons = (
        Button(gettext_lazy("编辑"), "contracts:edit", "change", style="primary", testid="contract-edit"),
        Button(
            gettext_lazy("提前终止"), "contracts:terminate", "terminate", style="outline-danger", testid="terminate"
        ),
    )

    def get_extra_context(self, contract):
        elevators = contract.elevators.select_related("use_unit").order_by("register_code")
        renewable = contract.terminated_on is None and can(self.request.user, "add", MaintenanceContract)
        return {
            "contract": contract,
            "elevators": elevators,
            "events": audit.events_for(contract),
            "history": contract.history.select_related("history_user").order_by("-history_date")[:20],
            "renewable": renewable,
        }


class ContractEditView(ObjectEditView):
    model = MaintenanceContract
    form_class = ContractForm
    template_name = "contracts/contract_form.html"
    related = RELATED
    success_message_create = gettext_lazy("维保合同已保存。")
    success_message_update = gettext_lazy("维保合同已保存。")

    def get_form_kwargs(self, contract):
        scope = scope_for(self.request.user)
        kwargs = {"instance": contract, "company_id": scope.organization_id, "operator": scope.is_operator}
        renew = self.request.GET.get("renew")
        if contract is None and renew and renew.isdigit():
            previous = get_for(self.request.user, MaintenanceContract, int(renew))
            kwargs["initial"] = services.renewal_initial(previous)
            kwargs["company_id"] = previous.maintenance_company_id
            if scope.is_operator:
                kwargs["initial"]["maintenance_company"] = previous.maintenance_company_id
        elif contract is None and (elevator := self.request.GET.get("elevator", "")).isdigit():
            chosen = get_for(self.request.user, Elevator, int(elevator))
            kwargs["initial"] = {"use_unit": chosen.use_unit_id, "elevators": [chosen.pk]}
        elif contract is None and scope.is_operator and (company := self.request.GET.get("maintenance_company")):
            kwargs["initial"] = {"maintenance_company": company}
        return kwargs

    def get_title(self, contract):
        if contract is None and self.request.GET.get("renew"):
            return _("续签维保合同")
        return super().get_title(contract)

    def create(self, data, request):
        upload = data.pop("contract_file", None)
        return services.create_contract(actor=request.user, data=data, upload=upload, request=request)

    def update(self, contract, data, reason, request):
        upload = data.pop("contract_file", None)
        return services.update_contract(
            contract, actor=request.user, data=data, upload=upload, reason=reason, request=request
        )


class ContractTerminateView(ObjectActionView):
    model = MaintenanceContract
    action = "terminate"
    form_class = TerminateForm
    title = gettext_lazy("提前终止维保合同")
    confirm_text = gettext_lazy(
        "终止后合同不再生效，也不再产生到期预警；终止日期应在签订日期和服务期限止之间。此操作不能撤销。"
    )
    submit_label = gettext_lazy("确认终止")
    success_message = gettext_lazy("维保合同已终止。")

    def perform(self, contract, data, request):
        services.terminate_contract(
            contract, actor=request.user, terminated_on=data["terminated_on"], reason=data["reason"], request=request
        )


def elevator_panel(request, elevator) -> str:
    """The elevator page's 维保合同: the contracts that cover it, newest end first."""
    user = request.user
    if not can(user, "list", MaintenanceContract):
        return ""
    contracts = list(
        MaintenanceContract.objects.visible_to(user)
        .filter(elevators=elevator)
        .select_related("maintenance_company")
        .order_by("-ends_on", "-id")[:20]
    )
    scope = scope_for(user)
    may_add = scope.organization_id == elevator.maintenance_company_id and can(user, "add", MaintenanceContract)
    context = {"elevator": elevator, "contracts": contracts, "may_add": may_add}
    return render_to_string("contracts/_elevator_panel.html", context, request=request)
