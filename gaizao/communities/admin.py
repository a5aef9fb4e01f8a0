from django.contrib import admin

from gaizao.communities.models import Building, Community
from gaizao.communities.services import refresh_eligibility_for_district
from gaizao.regions.models import DistrictSettings


@admin.register(DistrictSettings)
class DistrictSettingsAdmin(admin.ModelAdmin):
    list_display = ["district", "cutoff_year", "default_cost_per_m2"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new cut-off changes who is eligible: recompute now so lists and the summary agree.
        refresh_eligibility_for_district(obj.district)


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    """Read-only here: census changes go through the pages and imports, which keep history and eligibility."""

    list_display = ["code", "name", "subdistrict", "year_built", "is_eligible", "programme_status", "batch_year"]
    list_filter = ["subdistrict", "is_eligible", "programme_status", "batch_year"]
    search_fields = ["code", "name"]
    inlines = [BuildingInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
