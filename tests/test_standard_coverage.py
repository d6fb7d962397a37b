"""Every model with a policy passes the standard tests of tests/cases.py, declared in its app's test_standard.py."""

import importlib
import importlib.util

from django.apps import apps

from core.policies import registered_models
from tests import sweep
from tests.cases import ListCases, ModelCases


def _standard_classes():
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.test_standard"
        if sweep._ours(config.name) and importlib.util.find_spec(f"{config.name}.tests") is not None:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
    return list(ModelCases.registry)


def test_every_model_with_a_policy_has_standard_tests():
    covered = {cls.model._meta.label_lower for cls in _standard_classes()}
    missing = sorted(registered_models() - covered)
    assert not missing, f"add a class built from tests/cases.py to <app>/tests/test_standard.py for {missing}"


def test_every_list_page_has_standard_list_tests():
    listed = {cls.list_url for cls in _standard_classes() if issubclass(cls, ListCases)}
    pages = {page.name for page, _kwargs in sweep.list_pages()}
    assert not pages - listed, f"no ListCases for {sorted(pages - listed)}"
