from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from gaizao.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "subdistrict", "area", "is_active"]
    list_filter = ["role", "subdistrict", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Role and scope"), {"fields": ["role", "subdistrict", "area", "phone"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets, (_("Role and scope"), {"fields": ["role", "subdistrict", "area"]})]
