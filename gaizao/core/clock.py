"""The domain's one clock: the day the platform lives in.

In production that is the real local date. The Yanhu demo is the district on 25 November 2021, so the demo loader
stores that day (`PlatformDay`) and the whole platform lives on it: every default date, every "not in the future"
check, every overdue flag, lag and forecast asks `today()` (or `now()` for times), never the machine's calendar.
Timestamps of what happened on the machine (audit rows, uploads, logins) stay machine time.

The `GAIZAO_TODAY` setting decides, first:
- unset or empty: the stored day when a demo stored one, else the real date;
- `YYYY-MM-DD`: that day, whatever is stored (a training copy frozen on a date);
- `real`: the real date, whatever is stored (a production database someone loaded the demo into).
"""

import datetime
import time

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

REAL = "real"
# The stored day is read at most once a minute per process: every page asks for it (the banner), and a query per
# page would cost more than the answer is worth. A day stored by another process shows within that minute.
CACHE_SECONDS = 60.0
_UNREAD = object()
_cache = {"day": _UNREAD, "read_at": 0.0}


def real_today() -> datetime.date:
    """The machine's local date (a separate function so tests can move the real calendar)."""
    return timezone.localdate()


def real_now() -> datetime.datetime:
    return timezone.now()


def parse_setting(raw) -> datetime.date | str | None:
    """GAIZAO_TODAY as written in the environment: None, REAL or a date; anything else stops start-up."""
    from django.core.exceptions import ImproperlyConfigured

    if raw is None or isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip().lower()
    if not text:
        return None
    if text == REAL:
        return REAL
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"GAIZAO_TODAY must be empty, 'real' or a date YYYY-MM-DD, not {raw!r}") from None


def _stored_day() -> datetime.date | None:
    if _cache["day"] is not _UNREAD and time.monotonic() - _cache["read_at"] < CACHE_SECONDS:
        return _cache["day"]
    from gaizao.core.models import PlatformDay

    try:
        day = PlatformDay.objects.filter(pk=PlatformDay.ONLY).values_list("day", flat=True).first()
    except DatabaseError:
        return None  # before `migrate`: the table is not there yet, and nothing can have been stored
    remember(day)
    return day


def set_day() -> datetime.date | None:
    """The day the platform runs on when it is not the real date (the demo's), else None."""
    configured = parse_setting(getattr(settings, "GAIZAO_TODAY", None))
    if configured == REAL:
        return None
    if configured is not None:
        return configured
    return _stored_day()


def today() -> datetime.date:
    """The domain's today: the set day, else the real local date."""
    return set_day() or real_today()


def now() -> datetime.datetime:
    """The domain's now: the set day at the real time of day (votes open and close, notices publish, within the
    day), else the real time. Aware, in the platform's time zone."""
    day = set_day()
    moment = real_now()
    if day is None:
        return moment
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


def store_day(day: datetime.date | None) -> None:
    """Keep `day` as the platform's day in the database (None: follow the real date again)."""
    from gaizao.core.models import PlatformDay

    if day is None:
        PlatformDay.objects.filter(pk=PlatformDay.ONLY).delete()
    else:
        PlatformDay.objects.update_or_create(pk=PlatformDay.ONLY, defaults={"day": day})
    remember(day)


def remember(day: datetime.date | None) -> None:
    """Take `day` as the stored day without reading the database (for the next CACHE_SECONDS)."""
    _cache.update(day=day, read_at=time.monotonic())


def forget() -> None:
    """Read the stored day afresh on the next call."""
    _cache.update(day=_UNREAD, read_at=0.0)
