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
