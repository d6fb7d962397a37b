"""/api/v1/contracts: 维保合同, read-only (the platform's pages create, edit and terminate them)."""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from api.errors import with_errors
from api.filtering import filter_queryset, filter_schema
from api.pagination import LimitOffsetPagination
from core.policies import get_for, require

from .filters import ContractFilter
from .models import MaintenanceContract
from .views import RELATED, with_elevators

router = Router(tags=["contracts"])
ContractQuery = filter_schema(ContractFilter)


class ContractElevator(Schema):
    id: int
    register_code: str
    building: str


class ContractOut(Schema):
    id: int
    number: str
    maintenance_company_id: int
    maintenance_company: str
    use_unit_id: int
    use_unit: str
    signed_on: date
    starts_on: date
    ends_on: date
    status: str = Field(description="active 生效中，pending 未开始，expired 已到期，terminated 已终止（按今天计算）")
    status_label: str
    terminated_on: date | None
    termination_reason: str
    elevators: list[ContractElevator]
    contract_file: str | None = Field(description="合同文件的下载地址（需登录）")
    created_at: datetime

    @staticmethod
    def resolve_maintenance_company(obj):
        return obj.maintenance_company.name

    @staticmethod
    def resolve_use_unit(obj):
        return obj.use_unit.name

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.status_label)

    @staticmethod
    def resolve_elevators(obj):
        return list(obj.elevators.all())

    @staticmethod
    def resolve_contract_file(obj):
        return reverse("core:attachment", args=[obj.contract_file_id]) if obj.contract_file_id else None


def _queryset():
    return with_elevators(MaintenanceContract.objects.select_related(*RELATED))


@router.get("", response=with_errors(list[ContractOut]))
@paginate(LimitOffsetPagination)
def list_contracts(request, filters: Query[ContractQuery]):
    """The contracts the person may read, latest end first; by use unit (`use_unit` id), status and end date."""
    require(request.user, "list", MaintenanceContract)
    queryset = _queryset().visible_to(request.user).order_by("-ends_on", "-id")
    return filter_queryset(ContractFilter, filters, queryset, request=request)


@router.get("/{int:maintenancecontract_id}", response=with_errors(ContractOut, not_found=True))
def get_contract(request, maintenancecontract_id: int):
    return get_for(request.user, MaintenanceContract, maintenancecontract_id, queryset=_queryset())
