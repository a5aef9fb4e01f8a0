"""Change stamps for figures kept between requests (see `works.measures`).

A kept copy of some table's rows is good while nothing in them changed. Comparing the rows themselves costs as
much as reading them (a count of the 175,000 project items took 25 ms of every page at 50,000 communities), so
each save or delete of a watched model raises a stamp instead, in the writer's own transaction: a reader that
reads the stamp before the rows sees either the old stamp (and possibly newer rows, rebuilt again on the next
request) or the new stamp with the new rows, never new rows kept under an old stamp for good. Writes that send no
signal (bulk_create, bulk_update, queryset.update) call `touch` themselves or are caught by the callers' other
checks (the newest id) and their age limit.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from gaizao.core.models import Stamp


def read(*keys: str) -> tuple[int, ...]:
    """The stamps' values (0 for one never raised), in one query."""
    found = dict(Stamp.objects.filter(key__in=keys).values_list("key", "value"))
    return tuple(found.get(key, 0) for key in keys)


def touch(key: str) -> None:
    """Raise a stamp (in the caller's transaction: it counts once the change it marks is committed)."""
    if Stamp.objects.filter(key=key).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            Stamp.objects.create(key=key, value=1)
    except IntegrityError:  # created meanwhile by another writer: raise it past theirs
        Stamp.objects.filter(key=key).update(value=F("value") + 1)


def watch(key: str, *models) -> None:
    """Raise `key` on every save and delete of these models (and on changes of a many-to-many through model)."""

    def changed(sender, **kwargs):
        if kwargs.get("action", "post_").startswith("post_"):
            touch(key)

    for model in models:
        uid = f"gaizao-stamp-{key}-{model._meta.label}"
        if model._meta.auto_created:
            m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        else:
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
