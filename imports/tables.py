from django.utils.translation import gettext_lazy as _

from core.tables import BadgeCol, Col, LinkCol, ObjectTable

from .models import ImportJob

STATUS_COLOURS = {"done": "success", "failed": "danger", "running": "info", "pending": "warning", "review": "warning"}


class ImportJobTable(ObjectTable):
    id = LinkCol("imports:detail", verbose_name=_("任务编号"), text_format="#{}")
    kind = Col(verbose_name=_("导入类型"))
    file = Col(accessor="file__original_name", verbose_name=_("文件名"), css="small")
    created_by = Col(accessor="created_by__display_name", verbose_name=_("导入人"), css="small")
    created_at = Col(verbose_name=_("上传时间"), css="small")
    status = BadgeCol(verbose_name=_("状态"), colours=STATUS_COLOURS)
    accepted_rows = Col(verbose_name=_("导入成功"))
    rejected_rows = Col(verbose_name=_("未导入"))

    class Meta(ObjectTable.Meta):
        model = ImportJob
        attrs = {**ObjectTable.Meta.attrs, "id": "import-job-table"}
