"""System checks that keep the platform's conventions true as apps are added."""

from django.apps import apps
from django.core import checks

from .policies import registered_models
from .tenancy import TenantQuerySet


def tenant_models():
    """Models whose default manager is the tenancy gate."""
    for model in apps.get_models():
        manager = model._default_manager
        if isinstance(getattr(manager, "_queryset_class", None), type) and issubclass(
            manager._queryset_class, TenantQuerySet
        ):
            yield model


@checks.register(checks.Tags.security)
def every_tenant_model_has_a_policy(app_configs=None, **kwargs):
    """A model behind the gate without a policy would be visible to the operator only, silently: fail instead."""
    known = registered_models()
    return [
        checks.Error(
            f"{model._meta.label} uses TenantManager but no policy is registered for it",
            hint=f"Add @register({model._meta.label!r}) class …Policy(Policy) to {model._meta.app_label}/policies.py",
            obj=model,
            id="core.E001",
        )
        for model in tenant_models()
        if model._meta.label_lower not in known
    ]
