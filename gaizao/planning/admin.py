from django.contrib import admin

from gaizao.planning.models import Programme, ProgrammeFunding, ProgrammeYear


class ProgrammeYearInline(admin.TabularInline):
    model = ProgrammeYear
    extra = 0


class ProgrammeFundingInline(admin.TabularInline):
    model = ProgrammeFunding
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "first_year", "last_year", "current_year"]
    inlines = [ProgrammeYearInline, ProgrammeFundingInline]
