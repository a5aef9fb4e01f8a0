"""Notices to a community, a sub-district or the district."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """An announcement to a community, a sub-district or the whole district."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    area = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.CASCADE,
                             help_text=_("A sub-district or the district; empty when for one community."))
    community = models.ForeignKey("communities.Community", null=True, blank=True, on_delete=models.CASCADE)
    published_at = models.DateTimeField(_("published"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at"]
        constraints = [models.CheckConstraint(condition=Q(area__isnull=False) | Q(community__isnull=False),
                                              name="notice_has_audience")]

    def __str__(self):
        return self.title
