from django.utils.translation import gettext_lazy

from core.tables import Col, LinkCol, ObjectTable

from .models import EmergencyDrill


class EmergencyDrillTable(ObjectTable):
    held_on = LinkCol("drills:detail", verbose_name=gettext_lazy("演练日期"), css="text-nowrap")
    subject = Col(verbose_name=gettext_lazy("演练内容"))
    organization = Col(accessor="organization__name", verbose_name=gettext_lazy("维保单位"))
    location = Col(verbose_name=gettext_lazy("演练地点"))
    elevator_count = Col(verbose_name=gettext_lazy("电梯台数"), css="text-nowrap")
    photo_count = Col(verbose_name=gettext_lazy("照片"), css="text-nowrap")

    class Meta(ObjectTable.Meta):
        model = EmergencyDrill
        attrs = {**ObjectTable.Meta.attrs, "id": "drill-table"}
