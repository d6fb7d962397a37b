"""Account rules as plain functions: create, update, passwords, qualifications, face photos."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from core import audit
from core.policies import can
from core.tenancy import scope_for
from core.uploads import IMAGE, save_attachment, validate_upload, validate_uploads
from core.validators import validate_phone
from notifications.models import NotificationKind
from notifications.services import notify
from organizations.models import Organization, OrganizationKind

from . import throttle
from .faces import find_one_face, same_person
from .models import (
    CATEGORIES_BY_KIND,
    OPENED_ELSEWHERE,
    FacePhoto,
    User,
    UserCategory,
    UserRole,
    WorkerQualification,
)
from .policies import units_for_accounts

__all__ = [
    "check_category_fits",
    "refusal_to_open",
    "create_account",
    "update_account",
    "accounts_to_acknowledge",
    "acknowledge_account",
    "change_password",
    "reset_password",
    "submit_worker_qualification",
    "set_face_photo",
    "verify_face",
    "obtain_unit_account",
    "UnitAccount",
    "UnitAccountRateLimited",
    "UNIT_ACCOUNT_KINDS",
    "ACCOUNT_FIELDS",
]

ACCOUNT_FIELDS = ["full_name", "phone", "email", "organization", "category", "role", "emergency_role", "is_active"]


def check_category_fits(organization, category) -> None:
    allowed = CATEGORIES_BY_KIND.get(organization.kind, [])
    if category not in allowed:
        raise ValidationError(
            {
                "category": _("“%(org)s”的账号只能是：%(allowed)s。")
                % {"org": organization.name, "allowed": "、".join(str(c.label) for c in allowed)}
            }
        )


def refusal_to_open(actor) -> str:
    """Why `actor` may not open an account in the unit it chose, in its own terms."""
    if scope_for(actor).kind == "maintenance_company":
        msg = _("您不能在该单位开设账号：维保单位只能为本单位，以及本单位创建、仍在维保且尚无账号的使用单位开设。")
        return msg
    return _("您不能在该单位开设账号：只能为本单位（监管单位：辖区内的单位）开设账号。")


@transaction.atomic
def create_account(
    *,
    actor,
    organization,
    username,
    category,
    role,
    emergency_role="none",
    full_name="",
    phone="",
    email="",
    request=None,
) -> User:
    """新增账号: the initial password is 111111 and must be changed at the first login."""
    if not can(actor, "add", User(organization=organization)):
        raise ValidationError({"organization": refusal_to_open(actor)})
    check_category_fits(organization, category)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已被使用。") % {"u": username}})
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        email=email,
        organization=organization,
        category=category,
        role=role,
        emergency_role=emergency_role,
        must_change_password=True,
    )
    if getattr(actor, "is_authenticated", False):
        user.created_by = actor
        user.created_by_organization_id = actor.organization_id
    user.set_password(settings.INITIAL_PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    changes = audit.created(audit.snapshot(user, ["username", *ACCOUNT_FIELDS, "created_by"]))
    if user.created_by_id:
        changes["created_by_organization"] = [None, user.creator_unit_name]
    audit.record(actor, "create", user, changes=changes, request=request)
    return user


@transaction.atomic
def update_account(account: User, *, actor, changes: dict, reason: str = "", request=None) -> User:
    before = audit.snapshot(account, ACCOUNT_FIELDS)
    if account.pk == getattr(actor, "pk", None) and not actor.is_superuser:
        # an administrator who stops, demotes or moves themself may leave the unit with nobody to manage it
        refused = {
            "is_active": changes.get("is_active") is False,
            "role": "role" in changes and changes["role"] != account.role,
            "category": "category" in changes and changes["category"] != account.category,
            "organization": "organization" in changes and changes["organization"] != account.organization,
        }
        errors = {
            f: _("不能修改自己的这一项，请由本单位其他管理员或平台运营方修改。") for f, bad in refused.items() if bad
        }
        if errors:
            raise ValidationError(errors)
    moved_to = changes.get("organization")
    if moved_to is not None and moved_to.pk != account.organization_id:
        if not units_for_accounts(actor, "change").filter(pk=moved_to.pk).exists():
            raise ValidationError({"organization": _("只有平台运营方可以把账号转到其他单位。")})
    for field, value in changes.items():
        if field not in ACCOUNT_FIELDS:
            raise ValueError(f"not an editable account field: {field}")
        setattr(account, field, value)
    if account.organization_id:
        check_category_fits(account.organization, account.category)
    account.full_clean(exclude=["password"])
    account.save()
    audit.record_changes(
        actor, account, before, audit.snapshot(account, ACCOUNT_FIELDS), reason=reason, request=request
    )
    return account


def accounts_to_acknowledge(user):
    """Accounts of the user's unit that someone of another unit opened and no administrator of the unit has
    acknowledged yet: shown to the unit's administrators (home page, account list), never their own account."""
    scope = scope_for(user)
    if not scope.is_admin or not scope.organization_id:
        return User.objects.none()
    return (
        User.objects.changeable_by(user)
        .filter(OPENED_ELSEWHERE, organization_id=scope.organization_id, creation_acknowledged_at__isnull=True)
        .exclude(pk=user.pk)
        .select_related("created_by", "created_by_organization")
        .order_by("date_joined", "pk")
    )


@transaction.atomic
def acknowledge_account(account: User, *, actor, request=None) -> User:
    """An administrator of the account's unit has seen that another unit opened it (确认): the notice goes away."""
    locked = User.objects.select_for_update(of=("self",)).select_related("created_by", "created_by_organization")
    account = locked.get(pk=account.pk)
    if account.pk == actor.pk or not account.organization_id or account.organization_id != actor.organization_id:
        raise ValidationError(_("只有本单位的其他管理员可以确认外单位开设的账号。"))
    if not account.created_elsewhere:
        raise ValidationError(_("该账号由本单位开设，无需确认。"))
    if account.creation_acknowledged_at is not None:
        raise ValidationError(_("该账号已经确认过了。"))
    account.creation_acknowledged_by = actor
    account.creation_acknowledged_at = timezone.now()
    account.save(update_fields=["creation_acknowledged_by", "creation_acknowledged_at"])
    audit.record(
        actor,
        "acknowledge",
        account,
        changes={"created_by": [None, account.creator_label]},
        request=request,
    )
    return account


def change_password(user: User, old_password: str, new_password: str, request=None) -> None:
    """修改密码: the old one must be right, the new one must pass the rules and differ from the old one."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("当前密码不正确。")})
    if new_password == old_password or user.check_password(new_password):
        raise ValidationError({"new_password": _("新密码不能与当前密码相同。")})
    if new_password == settings.INITIAL_PASSWORD:
        raise ValidationError({"new_password": _("新密码不能是初始密码。")})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    # whoever held a token learnt with the old password loses it; the token of this very call stays
    user.api_tokens.exclude(pk=getattr(request, "api_token_id", None)).delete()
    audit.record(user, "password_change", user, request=request)


def reset_password(account: User, *, actor, reason: str = "", request=None) -> None:
    """重置密码: back to the initial password, to be changed at the next login."""
    account.set_password(settings.INITIAL_PASSWORD)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    account.api_tokens.all().delete()
    throttle.clear(account.username)
    audit.record(actor, "password_reset", account, reason=reason, request=request)


def unlock_account(account: User, *, actor, reason: str = "", request=None) -> None:
    """解除锁定: lift the account's locks at every address and its token-endpoint backstop."""
    throttle.clear(account.username)
    audit.record(actor, "unlock", account, reason=reason, request=request)


def verify_face(account: User, data: bytes) -> tuple[bool, float]:
    """The phone's check: is this the worker of the current 维保验证 photo? (match, distance)"""
    photo = account.current_face_photo()
    if photo is None or not photo.face_encoding:
        raise ValidationError(_("该维保员尚未上传维保验证照片。"))
    return same_person(photo.face_encoding, data)


def _require_worker(account: User) -> None:
    if account.category != UserCategory.MAINTENANCE_WORKER:
        raise ValidationError(_("只有维保人员账号需要资质认证和维保验证。"))


@transaction.atomic
def submit_worker_qualification(
    account: User,
    *,
    actor,
    certificate_number,
    valid_from,
    valid_until,
    certificate_file,
    declaration_file,
    request=None,
) -> WorkerQualification:
    _require_worker(account)
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": _("有效期至必须晚于有效期起。")})
    checked = validate_uploads({"certificate": certificate_file, "self_declaration": declaration_file})
    qualification = WorkerQualification.objects.create(
        user=account,
        certificate_number=certificate_number,
        valid_from=valid_from,
        valid_until=valid_until,
        certificate=save_attachment(checked["certificate"], account, "worker_certificate", actor),
        self_declaration=save_attachment(checked["self_declaration"], account, "worker_declaration", actor),
        submitted_by=actor,
    )
    audit.record(
        actor,
        "qualification",
        account,
        request=request,
        changes=audit.validity(certificate_number, valid_from, valid_until),
    )
    return qualification


@transaction.atomic
def set_face_photo(account: User, *, actor, image_file, request=None) -> FacePhoto:
    """维保验证: store a recent, clear face photo (JPEG/PNG, ≥ 200 px, exactly one face) and its face encoding."""
    _require_worker(account)
    try:
        checked = validate_upload(image_file, kinds=IMAGE, min_image_side=200)
        image_file.seek(0)
        data = image_file.read()
        face = find_one_face(data)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    image_file.seek(0)
    with Image.open(image_file) as img:
        width, height = img.size
    image_file.seek(0)
    photo = FacePhoto.objects.create(
        user=account,
        image=save_attachment(checked, account, "face_photo", actor),
        width=width,
        height=height,
        face_encoding=face.encoding,
        uploaded_by=actor,
    )
    audit.record(actor, "face_photo", account, request=request, changes=audit.created({"file": checked.name}))
    return photo


# --- 单位帐户: 首次登录请点击 获取登录账号 -------------------------------------------------------------------
#
# Credit codes and unit names are public (the business licence, the national credit system); the phones the unit
# has on record here are the secret the person proves: the page has a captcha, each address a few tries an hour and
# each credit code a few failed ones a day, every outcome but one says the same words, an existing account is never
# reset, and the unit's administrators are told. docs/architecture.md, "Unit accounts".

UNIT_ACCOUNT_KINDS = (OrganizationKind.USE_UNIT, OrganizationKind.MAINTENANCE_COMPANY)
_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class UnitAccount:
    """The unit's account and whether this request opened it (False: it existed, its password untouched)."""

    user: User
    created: bool


class UnitAccountRateLimited(Exception):
    """Too many requests from this address, or too many failed ones for this credit code: try later."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def no_match_message() -> str:
    """The one answer for every mismatch: unknown code, another kind of unit, inactive, wrong name or phone."""
    return _(
        "单位信息核对未通过：请核对统一社会信用代码、单位名称和联系电话（须为本单位在平台登记的联系人电话或法定代表人电话）。"
    )


def normalise_credit_code(value: str) -> str:
    """Full-width characters and spaces as people type them, letters in capitals: "９１５０ 0112…" → "915000112…"."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def normalise_unit_name(value: str) -> str:
    """Names compare without spaces, with full- and half-width brackets alike (NFKC turns （） into ())."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or "")).casefold()


def normalise_phone(value: str) -> str:
    """Phones compare without spaces and dashes, full-width digits as ASCII: "023－6389 1234" → "02363891234"."""
    return _DASHES.sub("", unicodedata.normalize("NFKC", value or ""))


def _phone_on_record(unit: Organization, phone: str) -> str | None:
    """The unit's phone (contact, then legal representative) that `phone` is, or None."""
    given = normalise_phone(phone)
    if not given:
        return None
    for recorded in (unit.contact_phone, unit.legal_representative_phone):
        if recorded and normalise_phone(recorded) == given:
            return recorded
    return None


def _check_rate(request, code: str) -> None:
    if request is not None:
        key = f"unit-account:addr:{throttle.client_address(request)}"
        wait = throttle.waiting(key, settings.UNIT_ACCOUNT_REQUESTS_PER_ADDRESS_HOUR)
        if wait:
            raise UnitAccountRateLimited(
                _("获取登录账号的操作过于频繁，请 %(m)s 分钟后再试。") % {"m": -(-wait // 60)}, wait
            )
        throttle.count(key, timedelta(hours=1))
    wait = throttle.waiting(f"unit-account:code:{code}", settings.UNIT_ACCOUNT_FAILURES_PER_CODE_DAY)
    if wait:
        message = _("该统一社会信用代码今日核对失败次数过多，请明日再试，或致电对应区县局处理。")
        raise UnitAccountRateLimited(message, wait)


def obtain_unit_account(credit_code: str, name: str, phone: str, request=None) -> UnitAccount:
    """获取登录账号: an active use unit or maintenance company whose credit code, name and a phone on record match
    gets its unit account (username and initial password: the credit code, changed at the first login; role
    administrator). An existing one is returned as it is. Any mismatch raises one ValidationError
    (`no_match_message`) that does not tell which part failed; too many tries raise UnitAccountRateLimited."""
    code = normalise_credit_code(credit_code)
    _check_rate(request, code)
    unit = Organization.objects.filter(credit_code=code, kind__in=UNIT_ACCOUNT_KINDS, is_active=True).first()
    matched_phone = _phone_on_record(unit, phone) if unit is not None else None
    if unit is None or matched_phone is None or normalise_unit_name(name) != normalise_unit_name(unit.name):
        throttle.count(f"unit-account:code:{code}", timedelta(days=1))
        raise ValidationError(no_match_message(), code="no_match")
    try:
        return _open_unit_account(unit, matched_phone, request)
    except IntegrityError:  # another request opened it in the meantime (the unique constraint says so)
        existing = User.objects.filter(organization=unit, is_unit_account=True).first()
        if existing is None:
            raise
        return UnitAccount(existing, created=False)


@transaction.atomic
def _open_unit_account(unit: Organization, phone: str, request) -> UnitAccount:
    unit = Organization.objects.select_for_update().get(pk=unit.pk)
    existing = User.objects.filter(organization=unit, is_unit_account=True).first()
    if existing is not None:
        return UnitAccount(existing, created=False)
    taken = User.objects.filter(username__iexact=unit.credit_code).first()
    if taken is not None:
        if taken.organization_id == unit.pk:  # an account of the unit already logs in with the code
            return UnitAccount(taken, created=False)
        raise ValidationError(
            _("本单位的统一社会信用代码已被其他账号用作用户名，无法开通单位帐户，请致电对应区县局处理。"),
            code="username_taken",
        )
    try:
        validate_phone(phone)
    except ValidationError:
        phone = ""
    user = User(
        username=unit.credit_code,
        organization=unit,
        category=CATEGORIES_BY_KIND[unit.kind][0],
        role=UserRole.ADMIN,
        phone=phone,
        must_change_password=True,
        is_unit_account=True,
    )
    user.set_password(unit.credit_code)
    user.full_clean(exclude=["password"])
    user.save()
    with translation.override(settings.LANGUAGE_CODE):  # stored in the platform's language, whoever asked
        reason = _("单位通过“获取登录账号”自助开通（已核对统一社会信用代码、单位名称和登记电话）")
        fields = ["username", "organization", "category", "role", "is_unit_account"]
        audit.record(
            None,
            "unit_account",
            user,
            changes=audit.created(audit.snapshot(user, fields)),
            reason=reason,
            request=request,
        )
        audit.record(
            None, "unit_account", unit, changes={"unit_account": [None, user.username]}, reason=reason, request=request
        )
        _tell_administrators(unit, user, request)
    return UnitAccount(user, created=True)


def _tell_administrators(unit: Organization, account: User, request) -> None:
    """The unit's administrators (before the new account) learn that someone opened the unit account."""
    admins = User.objects.filter(organization=unit, role=UserRole.ADMIN, is_active=True).exclude(pk=account.pk)
    address = throttle.client_address(request) if request is not None else "—"
    title = _("本单位已开通单位帐户 %(u)s") % {"u": account.username}
    body = _(
        "有人于%(at)s（来源地址%(ip)s）通过登录页的“获取登录账号”，核对本单位的统一社会信用代码、单位名称和登记电话后开通了单位帐户%(u)s（单位管理员，首次登录须修改初始密码）。如非本单位所为，请停用该帐户并致电区县局。"
    ) % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "ip": address, "u": account.username}
    for admin in admins:
        notify(
            unit,
            NotificationKind.UNIT_ACCOUNT_OPENED,
            title,
            body,
            account.get_absolute_url(),
            about=account,
            user=admin,
        )
