from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only for the operator: jobs change only through the runner."""

    list_display = [
        "id",
        "kind",
        "organization",
        "created_by",
        "created_at",
        "status",
        "accepted_rows",
        "rejected_rows",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["organization__name", "created_by__username"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
