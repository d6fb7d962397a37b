"""Schemathesis hooks for `make fuzz` (loaded through SCHEMATHESIS_HOOKS by fuzz/run_fuzz.py).

The fuzz user must stay able to call the API for the whole run: a PATCH of its own account or of its own unit
keeps every field but those that would lock it out (deactivate it, move it to another unit or category, take its
role). Everything else is sent as generated.
"""

import os

import schemathesis

SELF_USER_ID = os.environ.get("FUZZ_SELF_USER_ID", "")
SELF_ORG_ID = os.environ.get("FUZZ_SELF_ORG_ID", "")
LOCKING_USER_FIELDS = ("is_active", "category", "role", "organization_id")


@schemathesis.hook
def before_call(context, case, kwargs):
    if str(case.method).upper() != "PATCH" or not isinstance(case.body, dict):
        return
    if case.path.endswith("/users/{user_id}") and str(case.path_parameters.get("user_id")) == SELF_USER_ID:
        for key in LOCKING_USER_FIELDS:
            case.body.pop(key, None)
    if case.path.endswith("/organizations/{organization_id}") and (
        str(case.path_parameters.get("organization_id")) == SELF_ORG_ID
    ):
        case.body.pop("is_active", None)
