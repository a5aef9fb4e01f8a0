"""The domain's one clock: the real date, a stored demo day, or the GAIZAO_TODAY setting, in that order of
strength (setting, then stored day, then the real date)."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from gaizao.core import clock
from gaizao.core.models import PlatformDay

DEMO_DAY = datetime.date(2021, 11, 25)


@pytest.fixture
def real_2026(monkeypatch):
    """The machine's calendar in 2026, as in the issue: the demo must not notice."""
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 14, 30))
    monkeypatch.setattr(clock, "real_now", lambda: moment)
    monkeypatch.setattr(clock, "real_today", lambda: datetime.date(2026, 3, 2))
    return moment


def test_without_a_set_day_the_clock_is_the_real_one(real_2026):
    assert clock.set_day() is None
    assert clock.today() == datetime.date(2026, 3, 2)
    assert clock.now() == real_2026


@pytest.mark.django_db
def test_a_stored_day_is_today_at_the_real_time_of_day(real_2026):
    clock.store_day(DEMO_DAY)
    assert PlatformDay.objects.get().day == DEMO_DAY
    clock.forget()  # as another process would: read from the database
    assert clock.today() == DEMO_DAY
    now = timezone.localtime(clock.now())
    assert (now.date(), now.hour, now.minute) == (DEMO_DAY, 14, 30)
    clock.store_day(None)
    clock.forget()
    assert clock.today() == datetime.date(2026, 3, 2) and not PlatformDay.objects.exists()


@pytest.mark.django_db
def test_the_setting_wins_over_a_stored_day(real_2026, settings):
    clock.store_day(DEMO_DAY)
    settings.GAIZAO_TODAY = datetime.date(2022, 6, 30)
    assert clock.today() == datetime.date(2022, 6, 30)
    settings.GAIZAO_TODAY = clock.REAL  # a production database someone loaded the demo into
    assert clock.today() == datetime.date(2026, 3, 2) and clock.set_day() is None


@pytest.mark.django_db
def test_the_stored_day_is_read_once_a_minute(real_2026, django_assert_num_queries, monkeypatch):
    PlatformDay.objects.create(pk=PlatformDay.ONLY, day=DEMO_DAY)
    clock.forget()
    with django_assert_num_queries(1):
        assert [clock.today() for _ in range(5)] == [DEMO_DAY] * 5
    monkeypatch.setattr(clock, "CACHE_SECONDS", 0.0)
    with django_assert_num_queries(1):
        clock.today()


@pytest.mark.parametrize(("raw", "expected"), [
    (None, None), ("", None), ("  ", None), ("real", clock.REAL), ("REAL", clock.REAL),
    ("2021-11-25", DEMO_DAY), (DEMO_DAY, DEMO_DAY),
])
def test_the_setting_as_written_in_the_environment(raw, expected):
    assert clock.parse_setting(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "25.11.2021", "2021-13-01"])
def test_a_bad_setting_stops_start_up(raw):
    with pytest.raises(ImproperlyConfigured, match="GAIZAO_TODAY"):
        clock.parse_setting(raw)


@pytest.mark.django_db
def test_every_page_says_when_the_platform_runs_on_a_set_day(client, bureau, east_community):
    client.force_login(bureau)
    assert 'id="platform-day"' not in client.get(reverse("works:list")).content.decode()
    clock.store_day(DEMO_DAY)
    html = client.get(reverse("works:list")).content.decode()
    assert 'id="platform-day"' in html and "2021年11月25日" in html
    client.logout()
    assert "2021年11月25日" in client.get(reverse("login")).content.decode()
    assert 'id="platform-day"' in client.get(f"/r/{east_community.code}/").content.decode()  # residents' phones
