"""维保小组: workers of one company with a leader; any member may maintain any of the group's elevators.

A group's people are active accounts of its company, the leader always among the members; a worker whose
qualification (资质认证) has expired is not let in, and one whose qualification expires later is flagged wherever
the group is shown (`expired_members`, `with_counts`). An elevator belongs to at most one group, of the company
that maintains it: assigning moves it from its previous group, thousands at once in a few statements per batch.
"""

from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.tenancy import scope_for

from ..models import GroupAssignment, MaintenanceGroup

__all__ = [
    "GROUP_FIELDS",
    "company_people",
    "group_members",
    "create_group",
    "update_group",
    "delete_group",
    "assign_elevators",
    "unassign_elevators",
    "expired_members",
    "expired_condition",
    "with_counts",
    "assignable_elevators",
]

GROUP_FIELDS = ["name", "leader", "note"]
BATCH = 1000  # elevators per statement when assigning or removing
AUDIT_CODES = 50  # register codes named in one audit event; the rest are counted

WORKER = "maintenance_worker"
SCRAPPED = "scrapped"


def _user_model():
    return apps.get_model("accounts", "User")


def _elevator_model():
    return apps.get_model("elevators", "Elevator")


def _qualification_model():
    return apps.get_model("accounts", "WorkerQualification")


def _with_qualification(people):
    """People with `qualified_until`: the latest end of their qualifications (None without one)."""
    return people.annotate(qualified_until=Max("qualifications__valid_until")).order_by("full_name", "username", "id")


def company_people(organization_id):
    """The accounts a group of this company may take: its active people, with `qualified_until`."""
    return _with_qualification(_user_model().objects.filter(organization_id=organization_id, is_active=True))


def group_members(group):
    """A group's members (a member deactivated since included), with `qualified_until`."""
    return _with_qualification(_user_model().objects.filter(maintenance_groups=group))


def is_expired(user, qualified_until, today=None) -> bool:
    """A qualification whose latest end has passed, or none at all for a maintenance worker."""
    today = today or timezone.localdate()
    if qualified_until is None:
        return user.category == WORKER
    return qualified_until < today


def expired_condition(user_ref="pk", category_ref="category", today=None) -> Q:
    """A condition on users (or on rows naming a user) for "the qualification has expired", with no join."""
    today = today or timezone.localdate()
    qualifications = _qualification_model().objects.filter(user_id=OuterRef(user_ref))
    valid = Exists(qualifications.filter(valid_until__gte=today))
    return ~valid & (Exists(qualifications) | Q(**{category_ref: WORKER}))


def expired_members(groups) -> dict[int, date | None]:
    """{user id: the date their qualification ended (None: never had one)} for the members of `groups` (a queryset
    or an iterable of groups or ids) whose qualification has expired; one query."""
    if isinstance(groups, QuerySet):
        group_filter = {"maintenance_groups__in": groups.values("pk")}
    else:
        group_filter = {"maintenance_groups__in": [getattr(g, "pk", g) for g in groups]}
    rows = (
        _user_model()
        .objects.filter(**group_filter)
        .filter(expired_condition())
        .annotate(qualified_until=Max("qualifications__valid_until"))
        .values_list("pk", "qualified_until")
    )
    return dict(rows)


def with_counts(queryset):
    """Groups with `member_count`, `elevator_count` and `flagged_count` (members whose qualification has expired),
    each a sub-select, so that a page of groups costs one query whatever their sizes."""
    Members = MaintenanceGroup.members.through

    def count(rows, group_column):
        counted = rows.order_by().values(group_column).annotate(n=Count("*")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    members = Members.objects.filter(maintenancegroup_id=OuterRef("pk"))
    return queryset.annotate(
        member_count=count(members, "maintenancegroup_id"),
        elevator_count=count(GroupAssignment.objects.filter(group_id=OuterRef("pk")), "group_id"),
        flagged_count=count(members.filter(expired_condition("user_id", "user__category")), "maintenancegroup_id"),
    )


# --- the group ----------------------------------------------------------------------------------------------


def _ids(values) -> list[int]:
    """Ids from users, ids or numeric strings, in order, without repeats."""
    seen = []
    for value in values or ():
        pk = getattr(value, "pk", value)
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise ValidationError(_("“%(value)s”不是有效的编号。") % {"value": value}) from None
        if pk not in seen:
            seen.append(pk)
    return seen


def _check_people(group: MaintenanceGroup, leader_id, member_ids: list[int], already: set[int]) -> None:
    """The leader and members are active people of the group's company; those joining are qualified."""
    if leader_id is None:
        raise ValidationError({"leader": _("请选择组长。")})
    people = {user.pk: user for user in company_people(group.organization_id).filter(pk__in=member_ids)}
    if leader_id not in people:
        raise ValidationError({"leader": _("组长必须是本单位在职的账号。")})
    strangers = [pk for pk in member_ids if pk not in people]
    if strangers:
        raise ValidationError({"members": _("组员必须是本单位在职的账号（%(n)s 个不是）。") % {"n": len(strangers)}})
    today = timezone.localdate()
    errors = {}
    for pk in member_ids:
        user = people[pk]
        if pk in already or not is_expired(user, user.qualified_until, today):
            continue
        if user.qualified_until is None:
            message = _("%(name)s没有资质认证，不能加入维保小组。") % {"name": user.display_name}
        else:
            message = _("%(name)s的资质已过期（%(date)s），不能加入维保小组。") % {
                "name": user.display_name,
                "date": user.qualified_until.isoformat(),
            }
        errors.setdefault("leader" if pk == leader_id else "members", []).append(message)
    if errors:
        raise ValidationError(errors)


def _check_name(group: MaintenanceGroup) -> None:
    group.name = (group.name or "").strip()
    if not group.name:
        raise ValidationError({"name": _("请填写小组名称。")})
    taken = MaintenanceGroup.objects.filter(organization_id=group.organization_id, name=group.name)
    if group.pk:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ValidationError({"name": _("本单位已有名为“%(name)s”的维保小组。") % {"name": group.name}})


def _snapshot(group: MaintenanceGroup, member_names: list[str]) -> dict:
    return {**audit.snapshot(group, GROUP_FIELDS), "members": "、".join(member_names)}


def _member_names(member_ids) -> list[str]:
    users = _user_model().objects.filter(pk__in=member_ids).order_by("full_name", "username")
    return [user.display_name for user in users]


def _leader_id(data, default=None):
    leader = data.get("leader", data.get("leader_id", default))
    leader = getattr(leader, "pk", leader)
    try:
        return None if leader in (None, "") else int(leader)
    except (TypeError, ValueError):
        raise ValidationError({"leader": _("请选择组长。")}) from None


def _members_of(data, default=()):
    if "members" in data:
        return data["members"]
    return data.get("member_ids", default)


@transaction.atomic
def create_group(*, actor, data: dict, request=None) -> MaintenanceGroup:
    """新增 a group of the actor's company (the operator names the company as `organization`)."""
    scope = scope_for(actor)
    organization = data.get("organization") if scope.is_operator else None
    organization_id = getattr(organization, "pk", organization) or (
        scope.organization_id if scope.kind == "maintenance_company" else None
    )
    if organization_id is None:
        raise ValidationError(_("只有维保单位可以新建维保小组。"))
    group = MaintenanceGroup(organization_id=organization_id, name=data.get("name") or "", note=data.get("note") or "")
    _check_name(group)
    leader_id = _leader_id(data)
    member_ids = _ids(_members_of(data))
    if leader_id is not None and leader_id not in member_ids:
        member_ids.insert(0, leader_id)
    _check_people(group, leader_id, member_ids, already=set())
    group.leader_id = leader_id
    group.full_clean(exclude=["leader", "organization"], validate_unique=False, validate_constraints=False)
    group.save()
    group.members.set(member_ids)
    changes = audit.created(_snapshot(group, _member_names(member_ids)))
    audit.record(actor, "create", group, changes=changes, request=request)
    return group


@transaction.atomic
def update_group(group: MaintenanceGroup, *, actor, data: dict, reason: str = "", request=None) -> MaintenanceGroup:
    """Change the name, leader, members or note; only the fields in `data` (the API's PATCH sends some)."""
    locked = MaintenanceGroup.objects.select_for_update().get(pk=group.pk)
    current = set(locked.members.values_list("pk", flat=True))
    before = _snapshot(locked, _member_names(current))
    if "name" in data:
        locked.name = data["name"] or ""
    if "note" in data:
        locked.note = data["note"] or ""
    _check_name(locked)
    leader_id = _leader_id(data, locked.leader_id)
    member_ids = _ids(_members_of(data, current))
    if leader_id is not None and leader_id not in member_ids:
        member_ids.insert(0, leader_id)
    _check_people(locked, leader_id, member_ids, already=current)
    locked.leader_id = leader_id
    locked.full_clean(exclude=["leader", "organization"], validate_unique=False, validate_constraints=False)
    locked.save()
    if set(member_ids) != current:
        locked.members.set(member_ids)
    audit.record_changes(
        actor, locked, before, _snapshot(locked, _member_names(member_ids)), reason=reason, request=request
    )
    return locked


@transaction.atomic
def delete_group(group: MaintenanceGroup, *, actor, reason: str, request=None) -> int:
    """删除 a group: its elevators become unassigned (they keep their plans). Returns how many it had."""
    locked = MaintenanceGroup.objects.select_for_update().get(pk=group.pk)
    snapshot = _snapshot(locked, _member_names(locked.members.values_list("pk", flat=True)))
    elevators = locked.assignments.count()
    changes = {k: [v, None] for k, v in snapshot.items() if v not in (None, "")}
    if elevators:
        changes[_("电梯")] = [_("%(n)s 台") % {"n": elevators}, None]
    audit.record(actor, "delete", locked, changes=changes, reason=reason, request=request)
    locked.delete()  # the assignments go with it
    return elevators


# --- its elevators -----------------------------------------------------------------------------------------


def assignable_elevators(group: MaintenanceGroup):
    """The elevators a group may take: those its company maintains that are not scrapped."""
    return _elevator_model().objects.filter(maintenance_company_id=group.organization_id).exclude(status=SCRAPPED)


def _chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _elevator_rows(elevators):
    """(id, register code, company id, status, current group id, current group name) of the elevators given as a
    queryset (one query) or as ids (one query per batch)."""
    columns = (
        "pk",
        "register_code",
        "maintenance_company_id",
        "status",
        "group_assignment__group_id",
        "group_assignment__group__name",
    )
    Elevator = _elevator_model()
    if isinstance(elevators, QuerySet):
        return list(elevators.order_by().values_list(*columns)), 0
    ids = _ids(elevators)
    rows = []
    for chunk in _chunks(ids):
        rows += Elevator.objects.filter(pk__in=chunk).values_list(*columns)
    return rows, len(ids) - len(rows)


def _listed(codes: list[str], limit=10) -> str:
    shown = "、".join(codes[:limit])
    return shown + (_("等 %(n)s 台") % {"n": len(codes)} if len(codes) > limit else "")


def _audit_codes(pairs: dict) -> dict:
    """The first AUDIT_CODES register codes of a change by name, the rest counted."""
    changes = dict(list(pairs.items())[:AUDIT_CODES])
    if len(pairs) > AUDIT_CODES:
        changes["…"] = [None, _("另 %(n)s 台") % {"n": len(pairs) - AUDIT_CODES}]
    return changes


@transaction.atomic
def assign_elevators(group: MaintenanceGroup, elevators, *, actor, request=None) -> int:
    """Put elevators (a queryset or ids) into the group, moving them from their previous group; all or none.

    Only elevators of the group's company that are not scrapped are taken: any other refuses the whole request with
    a message saying how many and (the company's own) which. Returns how many joined the group (those already in it
    are not counted). A few statements per 1,000 elevators: one read, one upsert, and one audit event per group.
    """
    locked = MaintenanceGroup.objects.select_for_update().get(pk=group.pk)
    rows, missing = _elevator_rows(elevators)
    if not rows and not missing:
        raise ValidationError(_("请选择要分配的电梯。"))
    foreign = missing + sum(1 for row in rows if row[2] != locked.organization_id)
    scrapped = [row[1] for row in rows if row[2] == locked.organization_id and row[3] == SCRAPPED]
    problems = []
    if foreign:
        problems.append(_("%(n)s 台电梯不存在或不由本单位维保") % {"n": foreign})
    if scrapped:
        problems.append(_("%(n)s 台电梯已报废（%(codes)s）") % {"n": len(scrapped), "codes": _listed(scrapped)})
    if problems:
        raise ValidationError(_("不能分配：%(problems)s。没有分配任何电梯。") % {"problems": "；".join(problems)})

    joining = [row for row in rows if row[4] != locked.pk]
    now = timezone.now()
    for chunk in _chunks(joining):
        GroupAssignment.objects.bulk_create(
            [GroupAssignment(elevator_id=row[0], group_id=locked.pk, assigned_at=now) for row in chunk],
            update_conflicts=True,
            unique_fields=["elevator"],
            update_fields=["group", "assigned_at"],
        )
    if not joining:
        return 0
    audit.record(
        actor,
        "assign",
        locked,
        changes=_audit_codes({row[1]: [row[5], locked.name] for row in joining}),
        request=request,
    )
    left: dict[int, dict] = {}
    for row in joining:
        if row[4] is not None:
            left.setdefault(row[4], {})[row[1]] = [row[5], locked.name]
    for previous in MaintenanceGroup.objects.filter(pk__in=left):
        audit.record(actor, "unassign", previous, changes=_audit_codes(left[previous.pk]), request=request)
    return len(joining)


@transaction.atomic
def unassign_elevators(group: MaintenanceGroup, ids, *, actor, request=None) -> int:
    """Take elevators out of the group (ids not in it are ignored). Returns how many left it."""
    ids = _ids(ids)
    if not ids:
        raise ValidationError(_("请先勾选要移出小组的电梯。"))
    locked = MaintenanceGroup.objects.select_for_update().get(pk=group.pk)
    codes = []
    for chunk in _chunks(ids):
        assignments = GroupAssignment.objects.filter(group_id=locked.pk, elevator_id__in=chunk)
        codes += assignments.values_list("elevator__register_code", flat=True)
        assignments.delete()
    if not codes:
        raise ValidationError(_("所选电梯不在本小组中。"))
    changes = _audit_codes({code: [locked.name, None] for code in codes})
    audit.record(actor, "unassign", locked, changes=changes, request=request)
    return len(codes)
