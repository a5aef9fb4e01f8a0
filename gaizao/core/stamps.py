"""Change stamps for figures kept between requests (see `works.measures`).

A kept copy of some table's rows is good while nothing in them changed. Comparing the rows themselves costs as
much as reading them (a count of the 175,000 project items took 25 ms of every page at 50,000 communities), so
each save or delete of a watched model raises a stamp instead, in the writer's own transaction: a reader that
reads the stamp before the rows sees either the old stamp (and possibly newer rows, rebuilt again on the next
request) or the new stamp with the new rows, never new rows kept under an old stamp for good. Writes that send no
signal (bulk_create, bulk_update, queryset.update) call `changed(Model)` themselves; rows created in bulk are
also caught by the newest id in the fingerprint.
"""


import secrets
import threading
import time
from collections import OrderedDict

from django.db import connections, router
from django.db.models.signals import m2m_changed, post_delete, post_save

from gaizao.core.models import Stamp


def read(*keys: str) -> tuple[int, ...]:
    """The stamps' values (0 for one never changed), in one query."""
    found = dict(Stamp.objects.filter(key__in=keys).values_list("key", "value"))
    return tuple(found.get(key, 0) for key in keys)


def fingerprint(key: str, *models, using: str | None = None) -> tuple:
    """The stamp and the newest id of each model's table, in one query (each an index look-up): what a kept copy
    of figures read from those models is checked against. `using`: the database the figures will be read from
    (by default where the router sends reads of the first model)."""
    connection = connections[using or router.db_for_read(models[0] if models else Stamp)]
    quote = connection.ops.quote_name
    newest = "".join(f", (SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"
                     for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT value FROM {quote(Stamp._meta.db_table)} WHERE key = %s){newest}", [key])
        stamp, *ids = cursor.fetchone()
    return (stamp or 0, *ids)


def touch(key: str) -> None:
    """Change a stamp (in the caller's transaction: it counts once the change it marks is committed). A stamp is
    a fresh random number rather than a count: one statement whether or not the row exists yet (an upsert), and
    two writers at once still leave a value their readers have not seen (the chance of repeating one is 2⁻⁶²)."""
    Stamp.objects.bulk_create([Stamp(key=key, value=secrets.randbits(62) + 1)], update_conflicts=True,
                              unique_fields=["key"], update_fields=["value"])


_watching: dict = {}  # model → the stamps it changes


def keys() -> set[str]:
    """Every stamp some model changes."""
    return {key for watched in _watching.values() for key in watched}


def changed(model) -> None:
    """Change every stamp watching `model`: for writes that send no signal (queryset.update, bulk_create,
    bulk_update), so that the writer need not know who keeps figures read from its rows."""
    for key in sorted(_watching.get(model, ())):
        touch(key)


def watch(key: str, *models) -> None:
    """Change `key` on every save and delete of these models (and on changes of a many-to-many through model)."""
    for model in models:
        if model not in _watching:
            _connect(model)
        _watching.setdefault(model, set()).add(key)


def _connect(model) -> None:
    def on_change(sender, **kwargs):
        if kwargs.get("action", "post_").startswith("post_"):
            changed(sender)

    uid = f"gaizao-stamps-{model._meta.label}"
    if model._meta.auto_created:
        m2m_changed.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
    else:
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + "-delete")


# ---- figures kept under a fingerprint ------------------------------------------------------------------------

MAX_AGE = 300.0  # seconds: whatever the checks cannot see (a row edited by hand in psql) shows after this long
# Small finished figures (a summary, a bulletin's sections): one per scope, day and kind, least recently used
# dropped first.
KEEP = 256
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def kept(key, fingerprint: tuple, compute):
    """`compute()`, kept in this process under `key` while `fingerprint` (read before, see above) stays the same,
    for at most MAX_AGE. What it returns is shared by the requests that follow: callers must not change it."""
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is not None and found[0] == fingerprint and time.monotonic() - found[1] < MAX_AGE:
        return found[2]
    value = compute()
    with _lock:
        _kept[key] = (fingerprint, time.monotonic(), value)
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return value


def forget_kept() -> None:
    """Drop every kept figure of this process."""
    with _lock:
        _kept.clear()
