"""List endpoints run the page's django-filter FilterSet: the same parameters, the same meaning, the same
messages for a bad value.

    OrganizationQuery = filter_schema(OrganizationFilter)

    @router.get("", response=list[OrganizationOut])
    def list_organizations(request, filters: Query[OrganizationQuery]):
        return filter_queryset(OrganizationFilter, filters, Organization.objects.visible_to(request.user))

A filterset that needs the user takes it as the page gives it: `filter_queryset(UserFilter, filters, queryset,
user=request.user)`.
"""

from typing import Annotated, Any

import django_filters
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from ninja import Schema
from pydantic import WithJsonSchema, create_model

from core.filters import DB_ID_MAX, IdFilter

__all__ = ["filter_schema", "filter_queryset"]


def _json_schema(filterset_class, f: django_filters.Filter) -> dict[str, Any]:
    """What the filter expects, for the OpenAPI document (the filterset does the checking)."""
    schema: dict[str, Any] = {"type": "string"}
    if isinstance(f, django_filters.ModelChoiceFilter | IdFilter):
        schema = {"type": "integer", "minimum": 1, "maximum": DB_ID_MAX}
    elif isinstance(f, django_filters.ChoiceFilter):
        choices = f.extra.get("choices", [])
        schema["enum"] = [value for value, _label in (choices() if callable(choices) else choices) if value != ""]
    elif isinstance(f, django_filters.NumberFilter):
        schema = {"type": "number"}
        model = filterset_class._meta.model
        try:
            field = model._meta.get_field(f.field_name) if model and f.field_name else None
        except FieldDoesNotExist:
            field = None
        if field is not None and (field.is_relation or isinstance(field, models.IntegerField | models.AutoField)):
            schema = {"type": "integer"}
    elif isinstance(f, django_filters.BooleanFilter):
        schema = {"type": "boolean"}
    elif isinstance(f, django_filters.DateFilter):
        schema["format"] = "date"
    description = f.extra.get("help_text") or f.label
    if description:
        schema["description"] = description  # lazy: the document speaks the request's language
    return schema


def filter_schema(filterset_class, *, name: str | None = None) -> type[Schema]:
    """The query parameters of a list endpoint: one optional parameter per filter of the filterset.

    Each is taken as text and documented with the type its filter expects: the filterset validates it, so
    a bad value gets the page's message in the user's language rather than a type error.
    """
    fields = {
        key: (Annotated[str | None, WithJsonSchema(_json_schema(filterset_class, f))], None)
        for key, f in filterset_class.base_filters.items()
    }
    return create_model(name or f"{filterset_class.__name__}Query", __base__=Schema, **fields)


def filter_queryset(filterset_class, params: Schema | dict, queryset, **kwargs):
    """The queryset filtered as the page filters it; a bad value raises ValidationError (422, by field)."""
    data = params.dict() if isinstance(params, Schema) else dict(params)
    filterset = filterset_class(
        {key: value for key, value in data.items() if value not in (None, "")}, queryset=queryset, **kwargs
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.form.errors.as_data())
    return filterset.qs
