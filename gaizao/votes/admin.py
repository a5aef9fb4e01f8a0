"""Admin for votes."""

from django.contrib import admin

from gaizao.votes.models import Vote


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "matter", "electorate", "opens_at", "closes_at"]
