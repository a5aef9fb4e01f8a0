from django.contrib import admin

from gaizao.catalog.models import UnitCost, WorkItem


class UnitCostInline(admin.TabularInline):
    model = UnitCost
    extra = 0


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "tier", "content_group", "unit", "after_basic", "active"]
    list_filter = ["tier", "content_group", "active"]
    search_fields = ["code", "name"]
    inlines = [UnitCostInline]
