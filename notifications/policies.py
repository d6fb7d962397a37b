"""Who reads notifications: a person those their unit receives (models.addressed_to); the operator all of them."""

from core.policies import Policy, register

from .models import addressed_to

__all__ = ["NotificationPolicy"]


@register("notifications.Notification")
class NotificationPolicy(Policy):
    """A notification is read, opened and marked read by the people it is addressed to; nobody changes it."""

    def rows(self, scope, action):
        return addressed_to(scope)
