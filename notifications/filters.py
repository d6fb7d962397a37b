import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models import Notification, NotificationKind


class NotificationFilter(FilterSet):
    """通知: by kind, unread only."""

    kind = django_filters.ChoiceFilter(label=_("类别"), choices=NotificationKind.choices)
    unread = django_filters.BooleanFilter(label=_("只看未读"), method="by_unread", widget=forms.CheckboxInput)

    class Meta:
        model = Notification
        fields = ["kind", "unread"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["unread"].widget.attrs["class"] = "form-check-input d-block mt-2"  # not a text box

    def by_unread(self, queryset, name, value):
        if value and self.user is not None:
            return queryset.unread_by(self.user)
        return queryset
