"""Admin for feedback; the household is left out so no one's home shows in the list."""

from django.contrib import admin

from gaizao.feedback.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["community", "category", "responsible", "status", "due_date"]
    list_filter = ["status", "category", "responsible"]
    exclude = ["household"]
