from django.utils.functional import SimpleLazyObject


def unread(request):
    """The bell's unread count, counted only when a page shows it (partials never do; cached per person)."""
    user = getattr(request, "user", None)

    def count():
        from .services import unread_count

        return unread_count(user) if user is not None and user.is_authenticated else 0

    return {"unread_notifications": SimpleLazyObject(count)}
