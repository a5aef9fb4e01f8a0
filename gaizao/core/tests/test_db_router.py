"""The database router: reports read from a streaming replica when that is safe, everything else from the primary.

The first tests check the routing decisions and run everywhere (SQLite too). The last ones run against a real
PostgreSQL streaming replica when GAIZAO_REPLICA_URL is set: `make test-replica` (and CI) starts a throwaway
primary and replica pair for them (scripts/test_replica.sh).
"""

import dataclasses
import os
import shlex
import socket
import subprocess
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.models import Community
from gaizao.core import db_router
from gaizao.core.db_router import REPLICA, ReplicaReadsMiddleware, ReplicaRouter, ReplicaState, judge
from gaizao.core.env import replica_database

REAL_REPLICA = bool(os.environ.get("GAIZAO_REPLICA_URL"))
OK = ReplicaState(True, "ok", 0.0, 0.0)
router = ReplicaRouter()


class FakeSession(dict):
    modified = False


@pytest.fixture
def replica_answers(monkeypatch, settings):
    """A replica configured and in good health, without a server: the decisions alone."""
    settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_STICKY_SECONDS, settings.REPLICA_CHECK_SECONDS = 5, 5, 1
    state = {"now": OK}
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "replica_state", lambda: state["now"])
    return state


def routed(path="/summary/", method="get", *, cookies=None, user=None, session_written=False):
    """Runs a request for `path` through the middleware to a view that asks the router where it would read."""
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    request.session = FakeSession()
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path.split("?")[0])
    seen = {}

    def view(request):
        seen["report"] = router.db_for_read(Community)
        seen["session"] = router.db_for_read(Session)
        seen["write"] = router.db_for_write(Community)
        request.session.modified = session_written
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(lambda r: middleware.process_view(r, view, (), {}) or view(r))
    response = middleware(request)
    assert db_router._route.get() is None  # the mark ends with the request
    return seen, response


def wrote_cookie(seconds_ago=0):
    signer = signing.get_cookie_signer(salt=db_router.WROTE_COOKIE + db_router._SALT)
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - seconds_ago)
    return {db_router.WROTE_COOKIE: signer.sign("1")}


# ---- decisions (everywhere) --------------------------------------------------------------------------------------

@pytest.mark.skipif(REAL_REPLICA, reason="a replica is configured")
def test_without_a_replica_every_query_stays_where_django_puts_it():
    seen, response = routed("/summary/")
    assert seen == {"report": None, "session": None, "write": None}
    response = routed("/communities/new/", "post")[1]
    assert db_router.WROTE_COOKIE not in response.cookies  # nothing to remember without a replica
    assert "replica" not in connections.settings


def test_a_report_reads_from_the_replica_and_its_writes_go_to_the_primary(replica_answers):
    seen, response = routed("/summary/")
    assert seen == {"report": REPLICA, "session": "default", "write": "default"}
    assert db_router.WROTE_COOKIE not in response.cookies  # reading leaves no mark


@pytest.mark.parametrize("path", ["/summary/export.xlsx", "/api/summary/", "/api/progress/", "/works/dashboard/",
                                  "/works/bulletin/", "/works/bulletin/lagging/", "/works/bulletin.docx",
                                  "/works/bulletin.xlsx", "/communities/export.xlsx", "/works/?format=xlsx",
                                  "/feedback/?format=xlsx", "/votes/?format=xlsx"])
def test_every_report_and_big_export_reads_from_the_replica(replica_answers, path):
    assert routed(path)[0]["report"] == REPLICA


@pytest.mark.parametrize("path", ["/communities/", "/works/", "/feedback/", "/communities/YH001/",
                                  "/api/communities/", "/r/YH001/"])
def test_other_pages_read_from_the_primary(replica_answers, path):
    assert routed(path)[0]["report"] is None


def test_a_write_is_never_routed_and_keeps_the_writer_on_the_primary(replica_answers):
    seen, response = routed("/summary/", "post")
    assert seen["report"] is None and seen["write"] == "default"
    cookie = response.cookies[db_router.WROTE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 6  # 5 s of lag allowed + 1 s a check is believed
    again = {db_router.WROTE_COOKIE: cookie.value}
    assert routed("/summary/", cookies=again)[0]["report"] == "default"


def test_a_session_write_on_a_get_keeps_the_user_on_the_primary(replica_answers):
    response = routed("/communities/", session_written=True)[1]
    assert db_router.WROTE_COOKIE in response.cookies


def test_the_writer_goes_back_to_the_replica_after_the_sticky_seconds(replica_answers):
    assert routed("/summary/", cookies=wrote_cookie(seconds_ago=2))[0]["report"] == "default"
    assert routed("/summary/", cookies=wrote_cookie(seconds_ago=30))[0]["report"] == REPLICA


def test_a_forged_cookie_is_ignored(replica_answers):
    forged = {db_router.WROTE_COOKIE: wrote_cookie()[db_router.WROTE_COOKIE][:-3] + "abc"}
    assert routed("/summary/", cookies=forged)[0]["report"] == REPLICA


def test_an_api_client_without_cookies_is_remembered_by_its_user(replica_answers):
    user = User(pk=987654, username="system")
    routed("/api/communities/", "post", user=user)
    assert routed("/api/summary/", user=user)[0]["report"] == "default"
    assert routed("/api/summary/", user=User(pk=987655, username="other"))[0]["report"] == REPLICA


@pytest.mark.parametrize("state", [ReplicaState(False, "down", None, 0.0), ReplicaState(False, "lagging", 40.0, 0.0)])
def test_a_replica_down_or_behind_sends_reports_to_the_primary(replica_answers, state):
    replica_answers["now"] = state
    assert routed("/summary/")[0]["report"] == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there(replica_answers):
    with transaction.atomic():
        assert routed("/summary/")[0]["report"] == "default"


def test_the_stay_on_the_primary_covers_the_lag_allowed(settings):
    settings.REPLICA_STICKY_SECONDS, settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_CHECK_SECONDS = 5, 30, 1
    assert db_router.sticky_seconds() == 31
    settings.REPLICA_MAX_LAG_SECONDS = 2
    assert db_router.sticky_seconds() == 5


def test_the_lag_is_read_right():
    # An idle primary: nothing to replay, however long ago the last transaction was.
    assert judge(True, True, 3600.0, 5) == ReplicaState(True, "ok", 0.0, 0.0)
    assert judge(True, False, Decimal("2.5"), 5).usable
    assert judge(True, False, 12.0, 5) == ReplicaState(False, "lagging", 12.0, 0.0)
    assert not judge(True, False, None, 5).usable  # behind and never replayed anything: unknown
    assert judge(False, None, None, 5).reason == "not a standby"  # a primary (or a promoted replica)


def test_the_health_check_is_kept_for_a_second_and_a_dead_replica_is_retried_later(monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 1
    clock = {"now": 100.0}
    answers = iter([OK, ReplicaState(False, "down", None, 0.0), OK])
    calls = []

    def measure():
        calls.append(clock["now"])
        return dataclasses.replace(next(answers), checked=clock["now"])

    monkeypatch.setattr(db_router.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(db_router, "_measure", measure)
    db_router.forget_replica_state()
    try:
        db_router.replica_state()
        clock["now"] = 100.5
        db_router.replica_state()
        assert calls == [100.0]
        clock["now"] = 101.5
        assert db_router.replica_state().reason == "down"
        clock["now"] = 104.0  # down: not asked again for RETRY_AFTER_DOWN seconds
        assert db_router.replica_state().reason == "down"
        clock["now"] = 106.6
        assert db_router.replica_state().usable and calls == [100.0, 101.5, 106.6]
    finally:
        db_router.forget_replica_state()


def test_the_replica_setting_is_read_like_the_primarys():
    primary = {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}
    config = replica_database("postgres://reader:secret@10.0.0.2:5433/gaizao", primary)
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("10.0.0.2", 5433, "gaizao", "reader")
    assert config["CONN_MAX_AGE"] == 60 and config["OPTIONS"]["connect_timeout"] == 2
    assert config["TEST"] == {"MIRROR": "default"}
    with pytest.raises(ImproperlyConfigured, match="GAIZAO_REPLICA_URL") as refused:
        replica_database("sqlite:///copy.sqlite3", primary)
    assert "secret" not in str(refused.value)
    with pytest.raises(ImproperlyConfigured):
        replica_database("postgres://reader@replica/gaizao", {"ENGINE": "django.db.backends.sqlite3"})


def test_nothing_is_ever_migrated_on_the_replica():
    assert router.allow_migrate(REPLICA, "communities") is False
    assert router.allow_migrate("default", "communities") is None


def test_a_row_read_from_the_replica_may_point_at_one_from_the_primary(replica_answers):
    read, written = Community(), Community()
    read._state.db, written._state.db = REPLICA, "default"
    assert router.allow_relation(read, written) is True


# ---- a real streaming replica (scripts/test_replica.sh) ----------------------------------------------------------

real = pytest.mark.skipif(not REAL_REPLICA, reason="GAIZAO_REPLICA_URL is not set (make test-replica sets it)")
on_both = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def _one(alias, sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _until(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the replica did not catch up in time"
        time.sleep(0.05)


def _pause_replay():
    """Stops the replica applying the primary's changes (it still receives them); a pause asked for takes hold a
    moment later, and a write before that would still reach the replica."""
    _one(REPLICA, "SELECT pg_wal_replay_pause()::text")
    _until(lambda: _one(REPLICA, "SELECT pg_get_wal_replay_pause_state()") == "paused")


def _replicated(community_count):
    _until(lambda: Community.objects.using(REPLICA).count() == community_count)


def _summary(client):
    response = client.get("/api/summary/")
    assert response.status_code == 200
    return response.json()["communities"]["total"], response.wsgi_request.reads_from


def _eventually(client, expected):
    """The replica may be a moment behind the primary's last commit: ask until the answer comes from it."""
    _until(lambda: _summary(client) == expected)


@pytest.fixture
def real_replica(settings, db):
    settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_STICKY_SECONDS, settings.REPLICA_CHECK_SECONDS = 5, 5, 0
    db_router.forget_replica_state()
    yield
    if _one(REPLICA, "SELECT pg_is_wal_replay_paused()"):
        _one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    db_router.forget_replica_state()


@pytest.fixture
def region(real_replica, dongcheng, bureau):
    for n in range(3):
        Community.objects.create(code=f"RR{n}", name=f"副本{n}小区", subdistrict=dongcheng, year_built=1990,
                                 is_eligible=True)
    leader = ensure_user("leader", "leader-pass-2021", User.Role.LEADER)
    _replicated(3)
    return {"bureau": bureau, "leader": leader}


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@real
@on_both
def test_the_replica_is_a_standby_streaming_from_the_primary(real_replica):
    assert _one(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert _one("default", "SELECT pg_is_in_recovery()") is False
    assert connections[REPLICA].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    assert connections[REPLICA].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]
    assert db_router.replica_state().reason == "ok"


@real
@on_both
def test_a_write_goes_to_the_primary_and_the_report_reads_it_from_the_replica(region, dongcheng):
    client = _client_for(region["leader"])
    with CaptureQueriesContext(connections["default"]) as primary:
        Community.objects.create(code="RR9", name="新小区", subdistrict=dongcheng, year_built=1991, is_eligible=True)
    assert any("INSERT" in q["sql"] and "communities_community" in q["sql"] for q in primary.captured_queries)
    _eventually(client, (4, REPLICA))
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        assert _summary(client) == (4, REPLICA)
    assert any("communities_community" in q["sql"] for q in replica.captured_queries)
    assert not any("communities_community" in q["sql"] for q in primary.captured_queries)
    # Who the user is comes from the primary: a login a moment ago counts.
    assert any("django_session" in q["sql"] for q in primary.captured_queries)
    assert not any("django_session" in q["sql"] for q in replica.captured_queries)
    # The summary page and the bulletin too; a list page reads the primary.
    assert client.get("/summary/").wsgi_request.reads_from == REPLICA
    assert client.get("/works/bulletin/").wsgi_request.reads_from == REPLICA
    assert not hasattr(client.get("/communities/").wsgi_request, "reads_from")


@real
@on_both
def test_a_user_sees_their_own_write_at_once_while_others_read_the_replica(region, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 3600  # the paused replica below still counts as healthy
    writer, other = _client_for(region["bureau"]), _client_for(region["leader"])
    _pause_replay()
    response = writer.post("/communities/RR1/delete/")
    assert response.status_code == 302 and not Community.objects.filter(code="RR1").exists()
    assert db_router.WROTE_COOKIE in response.cookies
    assert _summary(writer) == (2, "default")  # their own deletion, from the primary
    assert _summary(other) == (3, REPLICA)  # the replica has not replayed it yet
    _one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    _eventually(other, (2, REPLICA))


@real
@on_both
def test_reports_read_the_primary_while_the_replica_lags_beyond_the_limit(region, dongcheng, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    client = _client_for(region["leader"])
    _eventually(client, (3, REPLICA))
    _pause_replay()
    Community.objects.create(code="RR8", name="滞后小区", subdistrict=dongcheng, year_built=1992, is_eligible=True)
    time.sleep(1.5)  # the replica has replayed nothing newer than the fixture's rows, 1.5 s and more ago
    state = db_router.replica_state()
    assert state.reason == "lagging" and state.lag > 1
    assert _summary(client) == (4, "default")
    _one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    _eventually(client, (4, REPLICA))


@real
@on_both
def test_reports_read_the_primary_when_the_replica_cannot_be_reached(region):
    client = _client_for(region["leader"])
    settings_dict = connections[REPLICA].settings_dict
    real_port = settings_dict["PORT"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]  # nothing listens there once the probe closes
    connections[REPLICA].close()
    settings_dict["PORT"] = dead_port
    try:
        assert _summary(client) == (3, "default")
        assert db_router.replica_state().reason == "down"
    finally:
        connections[REPLICA].close()
        settings_dict["PORT"] = real_port
        db_router.forget_replica_state()
    _eventually(client, (3, REPLICA))


@real
@on_both
@pytest.mark.skipif(not os.environ.get("GAIZAO_TEST_REPLICA_STOP"), reason="no command to stop the replica")
def test_reports_fall_back_when_the_replica_stops_and_return_when_it_is_back(region):
    client = _client_for(region["leader"])
    _eventually(client, (3, REPLICA))  # an open connection to the replica, which then goes away
    subprocess.run(shlex.split(os.environ["GAIZAO_TEST_REPLICA_STOP"]), check=True, capture_output=True)
    try:
        assert _summary(client) == (3, "default")
        assert db_router.replica_state().reason == "down"
    finally:
        subprocess.run(shlex.split(os.environ["GAIZAO_TEST_REPLICA_START"]), check=True, capture_output=True)

    def back():
        db_router.forget_replica_state()
        return _summary(client) == (3, REPLICA)

    _until(back)
