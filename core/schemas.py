"""API schemas declared once per model: the Out, In and Patch schemas come from one list of model fields.

    ELEVATOR_SCHEMAS = model_schemas(
        Elevator,
        fields=ELEVATOR_FIELDS,  # what a caller writes; foreign keys appear as <name>_id: int
        create_only=["register_code"],  # in In, not in Patch
        read_only=["status"],  # model fields shown in Out, never written
        overrides={"device_category": DeviceCategory, "building": Field(min_length=1, max_length=100)},
        out_extra={"use_unit_name": (str, Field(alias="use_unit.name")), "public_path": str},
        patch_extra={"reason": (str, "")},
    )
    ElevatorOut, ElevatorIn, ElevatorPatch = ELEVATOR_SCHEMAS

In: a field is required unless the model gives it a default, lets it be null or lets it be blank (then it
defaults to the model's default, None or ""). Patch: every In field but the create-only ones (plus the
update-only ones), each optional; only the fields sent are applied (`payload.dict(exclude_unset=True)`), and
null is accepted where the model accepts it. A blank text field takes null as "" in both, as a form does.

Validation beyond the types is left to the model and the services (their messages are in the user's
language); an override adds a constraint where the API should refuse early.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal, NamedTuple

from django.db import models
from ninja import Schema
from ninja.orm.fields import TYPES
from pydantic import BeforeValidator, ConfigDict, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

__all__ = ["ModelSchemas", "model_schemas", "api_name"]


class ModelSchemas(NamedTuple):
    """The three schemas of a model, in the order `Out, In, Patch = model_schemas(...)` unpacks them."""

    out: type[Schema]
    create: type[Schema]
    patch: type[Schema]


@dataclass(frozen=True)
class _Column:
    """One written field: its API name, its type when written, and how the model lets it be empty."""

    name: str
    type: Any
    nullable: bool
    blank_text: bool
    default: Any  # PydanticUndefined when required
    constraints: FieldInfo | None


def api_name(field: models.Field) -> str:
    """A foreign key is written and read as its id: `use_unit` → `use_unit_id`."""
    return field.attname if field.is_relation else field.name


def _python_type(field: models.Field) -> Any:
    if field.is_relation:
        return int
    return TYPES[field.get_internal_type()]


def _none_as_empty(value):
    return "" if value is None else value


def _split_override(override) -> tuple[Any, FieldInfo | None]:
    """An override is a type (an enum), a `Field(...)` of constraints, or both as a tuple."""
    if override is None:
        return None, None
    if isinstance(override, FieldInfo):
        return None, override
    if isinstance(override, tuple):
        kind, constraints = override
        return kind, constraints
    return override, None


def _column(model, name: str, override, required: bool) -> _Column:
    field = model._meta.get_field(name)
    kind, constraints = _split_override(override)
    if kind is None:
        kind = Literal[tuple(value for value, _label in field.choices)] if field.choices else _python_type(field)
    blank_text = field.empty_strings_allowed and field.blank and not field.null and not field.is_relation
    if field.has_default():
        default = field.default
    elif field.null:
        default = None
    elif blank_text:
        default = ""
    else:
        default = PydanticUndefined
    if required:  # a value must be given, and it may not be emptied later either
        return _Column(api_name(field), kind, False, False, PydanticUndefined, constraints)
    return _Column(api_name(field), kind, field.null, blank_text, default, constraints)


def _write_annotation(column: _Column) -> Any:
    kind = column.type
    if column.blank_text:
        if kind is not str:
            kind = kind | Literal[""]  # a blank choice is "", which the enum does not list
        return Annotated[kind | None, BeforeValidator(_none_as_empty)]
    if column.nullable:
        return kind | None
    return kind


def _field(default, constraints: FieldInfo | None, **extra) -> FieldInfo:
    base = FieldInfo(default=default, **extra) if default is not PydanticUndefined else FieldInfo(**extra)
    return FieldInfo.merge_field_infos(base, constraints) if constraints is not None else base


def _omit_default(schema: dict) -> None:
    schema.pop("default", None)  # in a Patch, an absent field is left unchanged: it has no default value


def _extra(spec) -> tuple[Any, Any]:
    """`str`, `(str, "")` or `(str, Field(alias=...))` as create_model takes them."""
    return spec if isinstance(spec, tuple) else (spec, ...)


def _build(name: str, module: str, fields: dict, schema_extra: dict | None = None) -> type[Schema]:
    base = Schema
    if schema_extra:
        base = type(f"{name}Base", (Schema,), {"model_config": ConfigDict(json_schema_extra=schema_extra)})
    return create_model(name, __base__=base, __module__=module, **fields)


def model_schemas(
    model: type[models.Model],
    *,
    fields: list[str],
    create_only: list[str] = (),
    update_only: list[str] = (),
    required: list[str] = (),
    read_only: list[str] = (),
    overrides: dict[str, Any] | None = None,
    out_extra: dict[str, Any] | None = None,
    patch_extra: dict[str, Any] | None = None,
    name: str | None = None,
    module: str | None = None,
) -> ModelSchemas:
    """Build `<Name>Out`, `<Name>In` and `<Name>Patch` from the model's fields.

    fields: the fields a caller writes (create and update), in order.
    create_only: left out of the Patch (listed as `x-create-only` in the In's OpenAPI schema).
    update_only: left out of the In.
    required: written fields the API requires although the model lets them be empty; neither the In nor
        the Patch takes null for them.
    read_only: model fields shown in Out only (`id` always is).
    overrides: per field, a type (the enum of a choice field), a `Field(...)` of constraints, or both as
        `(type, Field(...))`; a constraint holds in the In and the Patch alike.
    out_extra, patch_extra: further fields of Out (aliases such as `Field(alias="use_unit.name")`,
        properties) and of the Patch (`reason`), as `type` or `(type, default or Field)`.
    """
    overrides = overrides or {}
    name = name or model.__name__
    module = module or model.__module__
    unknown = (set(create_only) | set(update_only) | set(required)) - set(fields)
    unknown |= set(overrides) - set(fields)
    if unknown:
        raise ValueError(f"{name}: not among the written fields: {sorted(unknown)}")

    columns = [_column(model, f, overrides.get(f), f in required) for f in fields]
    by_field = dict(zip(fields, columns, strict=True))

    out_fields: dict[str, Any] = {"id": (int, ...)}
    for f in [*fields, *read_only]:
        field = model._meta.get_field(f)
        kind = _python_type(field)
        out_fields[api_name(field)] = (kind | None if field.null else kind, ...)
    for key, spec in (out_extra or {}).items():
        out_fields[key] = _extra(spec)

    in_fields = {}
    for f in fields:
        if f in update_only:
            continue
        c = by_field[f]
        in_fields[c.name] = (_write_annotation(c), _field(c.default, c.constraints))

    patch_fields = {}
    for f in fields:
        if f in create_only:
            continue
        c = by_field[f]
        annotation = _write_annotation(c)
        patch_fields[c.name] = (annotation, _field(None, c.constraints, json_schema_extra=_omit_default))
    for key, spec in (patch_extra or {}).items():
        patch_fields[key] = _extra(spec)

    create_only_names = sorted(by_field[f].name for f in create_only)
    return ModelSchemas(
        out=_build(f"{name}Out", module, out_fields),
        create=_build(
            f"{name}In",
            module,
            in_fields,
            {"x-create-only": create_only_names} if create_only_names else None,
        ),
        patch=_build(f"{name}Patch", module, patch_fields),
    )
