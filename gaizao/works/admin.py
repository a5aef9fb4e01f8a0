from django.contrib import admin

from gaizao.works.models import Company, CompanyMember, Milestone, Project, ProjectItem


class CompanyMemberInline(admin.TabularInline):
    model = CompanyMember
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [CompanyMemberInline]


class ProjectItemInline(admin.TabularInline):
    model = ProjectItem
    extra = 0
    raw_id_fields = ["plan_item"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects and their items are set up here; progress is reported on the pages and through the API."""

    list_display = ["code", "name", "contractor", "status", "actual_start"]
    list_filter = ["status", "contractor"]
    search_fields = ["code", "name"]
    filter_horizontal = ["communities"]
    inlines = [ProjectItemInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "date", "target_share"]
