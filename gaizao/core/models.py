from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change to a record: who, when, the record before and after. Written by service functions."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        REVEAL = "reveal", _("Personal data shown")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept as text so the history still names the person after the account is gone.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    parent_type = models.CharField(max_length=60, blank=True)
    parent_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit history")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def changes(self):
        """(field, before, after) for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class PlatformDay(models.Model):
    """The day the whole platform lives on when it is not the real date: the demo stores 2021-11-25 here, so a
    server started any way at all (`make demo`, `gaizao runserver`, gunicorn) shows the district on that day.
    One row at most; read through `gaizao.core.clock`."""

    ONLY = 1

    day = models.DateField(_("day"))
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("platform day")
        verbose_name_plural = _("platform day")

    def __str__(self):
        return self.day.isoformat()


class Stamp(models.Model):
    """How often some data that pages keep between requests has changed: raised on every save and delete of the
    models it is read from (`gaizao.core.stamps`), compared by the page with the stamp its kept copy was made at."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key} {self.value}"
