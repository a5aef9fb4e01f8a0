"""Admin for surveys."""

from django.contrib import admin

from gaizao.surveys.models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "opens_at", "closes_at"]
