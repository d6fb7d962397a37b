"""The API's write schemas come from one field list per model (core/schemas.py), so In and Patch cannot drift."""

import pytest
from ninja import Field

from core.schemas import model_schemas

pytestmark = pytest.mark.django_db


def _openapi(client):
    return client.get("/api/v1/openapi.json").json()


def _properties(openapi, ref: str) -> tuple[set[str], dict]:
    schema = openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return set(schema["properties"]), schema


def _body_ref(operation) -> str:
    return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]


def _write_pairs(openapi):
    """(collection path, In schema ref, Patch schema ref, Out schema ref) for each POST + PATCH resource."""
    paths = openapi["paths"]
    for path, operations in paths.items():
        if "post" not in operations or "requestBody" not in operations["post"]:
            continue
        for item_path, item_operations in paths.items():
            rest = item_path.removeprefix(path + "/")
            if rest == item_path or "/" in rest or not rest.startswith("{") or "patch" not in item_operations:
                continue
            out = item_operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            yield path, _body_ref(operations["post"]), _body_ref(item_operations["patch"]), out


def test_every_patch_takes_what_its_in_takes_but_the_declared_create_only_fields(client):
    openapi = _openapi(client)
    pairs = list(_write_pairs(openapi))
    assert {p for p, *_ in pairs} >= {"/api/v1/elevators", "/api/v1/organizations", "/api/v1/users"}
    for path, in_ref, patch_ref, out_ref in pairs:
        in_fields, in_schema = _properties(openapi, in_ref)
        patch_fields, _ = _properties(openapi, patch_ref)
        out_fields, _ = _properties(openapi, out_ref)
        create_only = set(in_schema.get("x-create-only", []))
        assert create_only <= in_fields, path
        assert not (in_fields - create_only) - patch_fields, (
            f"{path}: the Patch lacks {in_fields - create_only - patch_fields}"
        )
        assert not in_fields - out_fields, f"{path}: written but never read back: {in_fields - out_fields}"


def test_create_only_and_update_only_fields_of_each_model(client):
    openapi = _openapi(client)
    pairs = {path: (in_ref, patch_ref) for path, in_ref, patch_ref, _ in _write_pairs(openapi)}
    expected = {
        "/api/v1/elevators": ({"register_code"}, set()),
        "/api/v1/organizations": ({"kind"}, {"is_active"}),
        "/api/v1/users": ({"username"}, {"is_active"}),
    }
    for path, (create_only, update_only) in expected.items():
        in_fields, _ = _properties(openapi, pairs[path][0])
        patch_fields, _ = _properties(openapi, pairs[path][1])
        assert in_fields - patch_fields == create_only, path
        assert patch_fields - in_fields - {"reason"} == update_only, path


# --- the builder itself -------------------------------------------------------------------------


def _organization_schemas(**kwargs):
    from organizations.models import Organization

    return model_schemas(
        Organization,
        fields=["kind", "name", "region", "jurisdiction", "latitude", "is_active"],
        name="Probe",
        **kwargs,
    )


def test_in_follows_the_model_and_patch_makes_everything_optional():
    out, create, patch = _organization_schemas(
        create_only=["kind"], update_only=["is_active"], overrides={"name": Field(min_length=2)}
    )
    assert [n for n, f in create.model_fields.items() if f.is_required()] == ["kind", "name", "region_id"]
    assert create.model_fields["jurisdiction_id"].default is None
    assert set(create.model_fields) == {"kind", "name", "region_id", "jurisdiction_id", "latitude"}
    assert set(patch.model_fields) == {"name", "region_id", "jurisdiction_id", "latitude", "is_active"}
    assert not any(f.is_required() for f in patch.model_fields.values())
    assert set(out.model_fields) == {"id", "kind", "name", "region_id", "jurisdiction_id", "latitude", "is_active"}
    assert patch(name="新名称").dict(exclude_unset=True) == {"name": "新名称"}
    assert patch(jurisdiction_id=None).dict(exclude_unset=True) == {"jurisdiction_id": None}
    with pytest.raises(ValueError):
        patch(region_id=None)  # the model's region is never null
    with pytest.raises(ValueError):
        patch(name="x")  # the In's constraint holds in the Patch too


def test_blank_text_takes_null_as_empty_and_required_overrides_the_model():
    from accounts.models import User, UserCategory

    _, create, patch = model_schemas(
        User,
        fields=["email", "full_name", "category"],
        required=["full_name"],
        overrides={"category": UserCategory},
        name="ProbeUser",
    )
    assert create(full_name="甲").dict() == {"email": "", "full_name": "甲", "category": "operator_staff"}
    assert patch(email=None).dict(exclude_unset=True) == {"email": ""}
    with pytest.raises(ValueError):
        patch(full_name=None)
    with pytest.raises(ValueError):
        create(full_name="甲", category="astronaut")


def test_a_misnamed_field_is_refused_when_declared():
    with pytest.raises(ValueError, match="not among the written fields"):
        _organization_schemas(create_only=["credit_code"])


def test_every_operation_documents_its_error_responses_with_the_shared_schemas(client):
    """401/403 behind the gate, 404 where the path names an object, 422 everywhere (api/errors.py)."""
    openapi = _openapi(client)
    error = "#/components/schemas/ErrorOut"
    invalid = "#/components/schemas/ValidationErrorOut"
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"

            def ref(code, responses=responses):
                return responses[code]["content"]["application/json"]["schema"]["$ref"]

            assert ref("422") == invalid, where
            if operation.get("security"):
                assert ref("401") == error and ref("403") == error, where
            if "{" in path:
                assert ref("404") == error, where
    token = openapi["paths"]["/api/v1/auth/token"]["post"]
    assert not token.get("security") and {"401", "429"} <= set(token["responses"])
