"""Authentication backend: Django's, with the user's unit loaded in the same query as the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

__all__ = ["UnitModelBackend"]


class UnitModelBackend(ModelBackend):
    """Every page asks what the user's unit may see (core.tenancy.scope_for): one query for both, not two."""

    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related(
                "organization__jurisdiction", "organization__region__parent"
            ).get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
