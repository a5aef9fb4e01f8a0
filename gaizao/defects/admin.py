"""Admin for defects; the household is left out so no one's home shows in the list."""

from django.contrib import admin

from gaizao.defects.models import Defect, DefectSettings


@admin.register(Defect)
class DefectAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "responsible", "status", "deadline"]
    list_filter = ["status", "responsible"]
    exclude = ["household"]


@admin.register(DefectSettings)
class DefectSettingsAdmin(admin.ModelAdmin):
    list_display = ["response_days", "updated_at"]
