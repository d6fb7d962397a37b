"""The one way to move a status (lock, check, audit) and the audit trail itself, on no domain model.

The status here is the name of a django.contrib.auth Group: transition() works on any model and field.
The first domain user, the unit qualification review, is tested in organizations/tests.
"""

import pytest
from django.contrib.auth.models import Group

from core import audit
from core.models import AuditEvent
from core.workflow import TransitionError, transition

pytestmark = pytest.mark.django_db

ALLOWED = {"draft": {"final", "dropped"}, "final": set()}


def test_transition_moves_the_status_and_writes_who_when_what_why(world):
    group = Group.objects.create(name="draft")
    result = transition(group, "final", allowed=ALLOWED, actor=world.operator, reason="定稿", field="name")
    assert result.name == group.name == "final"
    assert Group.objects.get(pk=group.pk).name == "final"
    event = AuditEvent.objects.get(action="transition")
    assert event.actor == world.operator and event.reason == "定稿"
    assert event.changes == {"name": ["draft", "final"]} and event.target == group


def test_a_transition_the_rules_do_not_allow_raises_a_clear_error_and_changes_nothing(world):
    group = Group.objects.create(name="final")
    with pytest.raises(TransitionError) as exc:
        transition(group, "dropped", allowed=ALLOWED, actor=world.operator, field="name")
    assert "final" in str(exc.value) and "dropped" in str(exc.value)
    assert Group.objects.get(pk=group.pk).name == "final"
    assert not AuditEvent.objects.filter(action="transition").exists()


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_every_audited_action_has_a_label_for_people():
    """The audit trail shows 组件, 问题上报 … never a raw code: each action a service records has a label."""
    import re
    from pathlib import Path

    from django.conf import settings

    from core.models import AuditEvent

    call = re.compile(r"audit\.record\(\s*[\w.]+(?:\([^()]*\))?\s*,\s*\"([a-z_]+)\"", re.S)
    root = Path(settings.BASE_DIR)
    actions = set()
    for path in (
        p for top in root.iterdir() if top.is_dir() and not top.name.startswith(".") for p in top.rglob("*.py")
    ):
        if "tests" not in path.parts and "migrations" not in path.parts:
            actions |= set(call.findall(path.read_text(encoding="utf-8")))
    assert {"create", "update", "components", "landing_doors", "problem_report"} <= actions
    assert not actions - set(AuditEvent.ACTION_LABELS), sorted(actions - set(AuditEvent.ACTION_LABELS))
