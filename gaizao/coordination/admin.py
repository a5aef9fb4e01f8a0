"""Reference data of the joint meeting: the departments and utilities on it and their members' accounts."""

from django.contrib import admin

from gaizao.coordination.models import CoordinationItem, Department, DepartmentMember, Meeting, UtilityWork


class MemberInline(admin.TabularInline):
    model = DepartmentMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service", "subdistrict", "contact", "phone"]
    list_filter = ["kind", "service"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title"]
    date_hierarchy = "date"
    filter_horizontal = ["departments"]


@admin.register(CoordinationItem)
class ItemAdmin(admin.ModelAdmin):
    """Read here; items are added, updated and closed on their pages, so that the rules and history hold."""

    list_display = ["pk", "lead_department", "due_date", "status", "closed_on"]
    list_filter = ["status", "lead_department"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UtilityWork)
class UtilityWorkAdmin(admin.ModelAdmin):
    list_display = ["community", "utility", "description", "year", "cost", "utility_share"]
    list_filter = ["utility", "year"]
    raw_id_fields = ["community"]
