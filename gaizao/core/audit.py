"""The one writer of audit rows. Services call it inside their transaction, so bulk writes are recorded too."""

from dataclasses import dataclass

from django.db import models

from gaizao.core.middleware import current_request_id
from gaizao.core.models import AuditEntry


@dataclass
class Change:
    action: str
    instance: models.Model
    before: dict | None
    after: dict | None
    parent: models.Model | None = None
    label: str | None = None  # what the history calls the object, when str(instance) would show personal data


def snapshot(instance: models.Model, fields) -> dict:
    """A JSON-safe copy of the named fields, as the history shows them."""
    data = {}
    for name in fields:
        value = getattr(instance, name if not isinstance(instance._meta.get_field(name), models.ForeignKey)
                        else f"{name}_id")
        if value is not None and not isinstance(value, (str, int, float, bool, list)):
            value = str(value)
        data[name] = value
    return data


def _type(instance) -> str:
    return instance._meta.label_lower


def record(actor, changes: list[Change], reason: str = "") -> None:
    request_id = current_request_id()
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    actor_name = actor.get_username() if actor_obj else "system"
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor_obj,
                actor_name=actor_name,
                request_id="" if request_id == "-" else request_id,
                action=c.action,
                object_type=_type(c.instance),
                object_id=str(c.instance.pk),
                object_repr=(c.label if c.label is not None else str(c.instance))[:200],
                parent_type=_type(c.parent) if c.parent is not None else "",
                parent_id=str(c.parent.pk) if c.parent is not None else "",
                before=c.before,
                after=c.after,
                reason=reason[:300],
            )
            for c in changes
        ],
        batch_size=1000,
    )


def history_for(instance: models.Model):
    """Changes to the record itself and to the records under it (a community's buildings)."""
    key = str(instance.pk)
    kind = _type(instance)
    return AuditEntry.objects.filter(
        models.Q(object_type=kind, object_id=key) | models.Q(parent_type=kind, parent_id=key)
    )
