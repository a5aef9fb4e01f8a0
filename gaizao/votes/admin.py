"""Admin for votes: what art. 278 fixes is read-only once ballots are cast, and the stored result always is."""

from django.contrib import admin

from gaizao.votes.models import Vote


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "matter", "electorate", "opens_at", "closes_at"]
    # Thresholds follow from the matter and the rules in force (votes.services.thresholds_for): never typed.
    always_read_only = ["quorum_area", "quorum_owners", "pass_area", "pass_owners", "pass_strictly_more", "rule_set",
                        "frozen_at", "result", "result_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.ballots.exists():
            # Closing time too: extending it needs a reason (the vote page), closing earlier is refused.
            return [f.name for f in Vote._meta.fields]
        return self.always_read_only
