from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, FacePhoto, User, WorkerQualification


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "organization",
        "category",
        "role",
        "is_unit_account",
        "is_active",
        "must_change_password",
    ]
    list_filter = ["category", "role", "is_unit_account", "is_active", "must_change_password"]
    search_fields = ["username", "full_name", "phone"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Platform",
            {
                "fields": [
                    "full_name",
                    "phone",
                    "organization",
                    "category",
                    "role",
                    "emergency_role",
                    "must_change_password",
                ]
            },
        ),
    )


admin.site.register(WorkerQualification)
admin.site.register(FacePhoto)
admin.site.register(ApiToken, list_display=["user", "created_at", "expires_at", "last_used_at"], exclude=["key_hash"])
