from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, OrganizationQualification, Region, ServiceRelation


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent", "in_pilot"]
    list_filter = ["level", "in_pilot"]
    list_editable = ["in_pilot"]
    search_fields = ["code", "name"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "credit_code", "region", "contact_name", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["region"]
    raw_id_fields = ["region", "jurisdiction"]


admin.site.register(
    OrganizationQualification, list_display=["organization", "certificate_number", "status", "valid_until"]
)
admin.site.register(ServiceRelation, list_display=["use_unit", "maintenance_company", "since"])
