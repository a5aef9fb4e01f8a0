"""Reports read from a PostgreSQL streaming replica when one is configured (GAIZAO_REPLICA_URL); everything else,
and every write, stays on the primary.

A Django router sees models, not requests, so the decision is made per request: ReplicaReadsMiddleware marks a
request that reads a report (a view decorated with @reads_from_replica, a URL name in REPLICA_READ_VIEWS, or a
list's Excel export in REPLICA_READ_EXPORTS) in a context variable, and ReplicaRouter.db_for_read consults it.
Within such a request the replica is used only when

- the user has not written in the last few seconds (any non-safe request or a session write leaves a signed
  cookie, and a mark in the cache under the user's id for API clients that keep no cookies), so everybody sees
  their own write at once; and
- the replica answers and replays the primary's WAL closely enough (REPLICA_MAX_LAG_SECONDS), checked at most
  once a second per process; otherwise the report reads from the primary.

Session, token and login-lockout tables are always read from the primary: a login a moment ago must count.
"""

import contextvars
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
# Read from the primary even within a report: what decides who the user is and whether they may log in.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken", "axes", "django_tasks_db"})
WROTE_COOKIE = "gaizao_wrote"
_SALT = "gaizao.core.db_router.wrote"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# After a failed check (the replica down or unreachable) wait this long before trying it again, so a replica that
# times out costs one slow request per process every few seconds, not every request.
RETRY_AFTER_DOWN = 5.0

log = logging.getLogger(__name__)
_route: contextvars.ContextVar["_Route | None"] = contextvars.ContextVar("replica_route", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica(view):
    """Marks a view that only reads (a report, an export): it reads from the replica when that is safe."""
    view.reads_from_replica = True
    return view


def sticky_seconds() -> float:
    """How long a user stays on the primary after writing. At least the lag the replica may have plus how long
    a health check is believed: then the replica has their write by the time they are sent back to it."""
    return max(float(settings.REPLICA_STICKY_SECONDS),
               float(settings.REPLICA_MAX_LAG_SECONDS) + float(settings.REPLICA_CHECK_SECONDS))


# ---- the replica's health ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplicaState:
    usable: bool
    reason: str  # "ok", "lagging", "not a standby", "down"
    lag: float | None  # seconds behind the primary (0 when it has replayed all the primary has written)
    checked: float  # time.monotonic() of the check


def judge(in_recovery, caught_up, seconds_since_replay, max_lag: float, checked: float = 0.0) -> ReplicaState:
    """What the replica's answers mean.

    `caught_up`: it has replayed all the WAL the primary had written a moment before. On an idle primary the time
    since the last replayed transaction grows for ever while nothing is missing, so that time is the lag only
    when something is still to be replayed; then it bounds how old the replica's data is from above.
    """
    if not in_recovery:
        return ReplicaState(False, "not a standby", None, checked)
    if caught_up:
        return ReplicaState(True, "ok", 0.0, checked)
    if seconds_since_replay is None:  # behind, and nothing replayed since it started: unknown, so not trusted
        return ReplicaState(False, "lagging", None, checked)
    lag = max(0.0, float(seconds_since_replay))
    return ReplicaState(lag <= max_lag, "ok" if lag <= max_lag else "lagging", lag, checked)


_state: ReplicaState | None = None
_state_lock = threading.Lock()


def forget_replica_state() -> None:
    """Check the replica afresh on next use (tests; a deployment never needs it)."""
    global _state
    with _state_lock:
        _state = None


def _measure() -> ReplicaState:
    checked = time.monotonic()
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn, "
                           "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())", [primary_lsn])
            in_recovery, caught_up, since = cursor.fetchone()
    except DatabaseError as error:
        # A connection broken by a replica that went away is useless from now on: the next check reconnects.
        connections[REPLICA].close()
        log.debug("replica check failed: %s", error)
        return ReplicaState(False, "down", None, checked)
    return judge(in_recovery, caught_up, since, float(settings.REPLICA_MAX_LAG_SECONDS), checked)


def replica_state() -> ReplicaState:
    """The replica's health, measured at most once per REPLICA_CHECK_SECONDS per process (RETRY_AFTER_DOWN when
    it did not answer)."""
    global _state
    now = time.monotonic()
    with _state_lock:
        state = _state
    if state is not None:
        valid_for = float(settings.REPLICA_CHECK_SECONDS)
        if state.reason == "down":
            valid_for = max(valid_for, RETRY_AFTER_DOWN)
        if now - state.checked < valid_for:
            return state
    state = _measure()
    with _state_lock:
        previous, _state = _state, state
    # One log line when the replica's state changes, not one a second while it stays down or behind.
    if previous is None or previous.reason != state.reason:
        if state.usable:
            log.info("replica in use for reports")
        else:
            log.warning("replica %s (lag %s s): reports read from the primary", state.reason, state.lag)
    return state


# ---- read-your-writes --------------------------------------------------------------------------------------------

def _wrote_key(user_id) -> str:
    return f"gaizao:wrote:{user_id}"


def mark_written(request, response) -> None:
    """The user just wrote: their next reports come from the primary for sticky_seconds()."""
    seconds = sticky_seconds()
    response.set_signed_cookie(WROTE_COOKIE, "1", salt=_SALT, max_age=math.ceil(seconds), httponly=True,
                               samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cache.set(_wrote_key(user.pk), time.time(), timeout=math.ceil(seconds))


def wrote_recently(request) -> bool:
    seconds = sticky_seconds()
    try:
        # The signature carries the time it was made: max_age refuses an older cookie.
        if request.get_signed_cookie(WROTE_COOKIE, default=None, salt=_SALT, max_age=seconds) is not None:
            return True
    except BadSignature:
        pass
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        at = cache.get(_wrote_key(user.pk))
        return at is not None and time.time() - at < seconds
    return False


# ---- the per-request decision and the router ---------------------------------------------------------------------

class _Route:
    """A report request's choice, made on its first read and kept for the rest of it (one page, one source)."""

    def __init__(self, request):
        self.request = request
        self.choice: bool | None = None

    def use_replica(self) -> bool:
        # Inside a transaction on the primary (a report that also writes), reads stay with the writes.
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return False
        if self.choice is None:
            self.choice = not wrote_recently(self.request) and replica_state().usable
            self.request.reads_from = REPLICA if self.choice else DEFAULT_DB_ALIAS
        return self.choice


class ReplicaRouter:
    """Sends a report request's reads to the replica when _Route says so; all writes and migrations to the
    primary. Without a replica configured it leaves every query where Django puts it."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return REPLICA if route.use_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: an object read from one may point at one from the other.
        if not replica_configured():
            return None
        return True if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


def _reads_reports(request, view_func) -> bool:
    if getattr(view_func, "reads_from_replica", False):
        return True
    match = request.resolver_match
    name = match.view_name if match else ""
    if name in settings.REPLICA_READ_VIEWS:
        return True
    return name in settings.REPLICA_READ_EXPORTS and request.GET.get("format") == "xlsx"


class ReplicaReadsMiddleware:
    """Marks report requests for ReplicaRouter and remembers who wrote. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            token = request.__dict__.pop("_replica_route_token", None)
            if token is not None:
                _route.reset(token)
        if replica_configured():
            session = getattr(request, "session", None)
            if request.method not in _SAFE_METHODS or (session is not None and session.modified):
                mark_written(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in ("GET", "HEAD"):
            return None
        if not _reads_reports(request, view_func):
            return None
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - loads the session and the user from the primary, before routing
        request._replica_route_token = _route.set(_Route(request))
        return None
