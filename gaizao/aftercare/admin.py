"""Admin for long-term management and return visits (the pages are where they are recorded)."""

from django.contrib import admin

from gaizao.aftercare.models import ManagementArrangement, ReturnVisit


@admin.register(ManagementArrangement)
class ManagementArrangementAdmin(admin.ModelAdmin):
    list_display = ["community", "kind", "body_name", "since", "ended_on"]
    list_filter = ["kind"]
    search_fields = ["community__name", "community__code", "body_name"]
    raw_id_fields = ["community", "recorded_by"]


@admin.register(ReturnVisit)
class ReturnVisitAdmin(admin.ModelAdmin):
    list_display = ["survey", "community", "project", "months"]
    raw_id_fields = ["project", "community", "survey"]
