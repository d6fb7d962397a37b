import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, ModelChoiceFilter
from organizations.models import Organization

from .models import User, UserCategory
from .policies import units_for_accounts


class UserFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    organization = ModelChoiceFilter(label=_("所属单位"), queryset=Organization.objects.none())
    category = django_filters.ChoiceFilter(label=_("用户分类"), choices=UserCategory.choices)

    class Meta:
        model = User
        fields = ["q", "organization", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["organization"].queryset = units_for_accounts(self.user, "change").order_by("name")

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value) | Q(phone__icontains=value))
