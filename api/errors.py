"""The API's error bodies, one schema each, documented on every endpoint through `with_errors()`.

    @router.get("/{int:elevator_id}", response=with_errors(ElevatorOut, not_found=True))
    @router.post("", response=with_errors({201: ElevatorOut}))

- 401 `ErrorOut`: no valid bearer token (or session).
- 403 `ErrorOut`: the permission is missing, or the initial password has not been changed yet.
- 404 `ErrorOut`: the object does not exist or lies outside the caller's tenancy (only paths that name one).
- 409 `ErrorOut`: a step the object's state does not allow (another person's decision came first).
- 422 `ValidationErrorOut`: bad input. The project's own checks (services, filters, NUL characters, cursors) answer
  `{"detail": [{"field", "messages"}]}` in the request's language; a body or parameter that does not fit its
  schema is refused by django-ninja first, as `{"detail": [{"type", "loc", "msg"}]}`.
"""

from typing import Any

from ninja import Schema

__all__ = ["ErrorOut", "FieldError", "SchemaError", "ValidationErrorOut", "with_errors"]


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    messages: list[str]


class SchemaError(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[FieldError | SchemaError]


def with_errors(ok: Any = None, *, not_found: bool = False, public: bool = False, conflict: bool = False) -> dict:
    """`response=` of an endpoint: its success schema (a type, or a dict by status code) and its error responses.

    public: the endpoint takes no authentication (no 401/403 from the gate; it declares its own in `ok`).
    """
    responses = dict(ok) if isinstance(ok, dict) else ({200: ok} if ok is not None else {})
    if not public:
        responses.setdefault(401, ErrorOut)
        responses.setdefault(403, ErrorOut)
    if not_found:
        responses.setdefault(404, ErrorOut)
    if conflict:
        responses.setdefault(409, ErrorOut)
    responses.setdefault(422, ValidationErrorOut)
    return responses
