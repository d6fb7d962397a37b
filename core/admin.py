from django.contrib import admin

from .models import Attachment, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "target_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target_repr", "reason"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "purpose", "content_type", "size", "uploaded_at"]
    readonly_fields = ["sha256"]
