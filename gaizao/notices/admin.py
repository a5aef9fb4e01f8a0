"""Admin for notices."""

from django.contrib import admin

from gaizao.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "community", "published_at"]
