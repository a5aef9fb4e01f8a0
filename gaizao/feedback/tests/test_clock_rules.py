"""Feedback on the platform's day (gaizao.core.clock): reported, due, overdue and counted by the bulletin on the
demo's 2021-11-25 while the machine's calendar says 2026."""

import datetime

from django.utils import timezone

from gaizao.core import clock
from gaizao.feedback import services as feedback
from gaizao.feedback.tests.test_feedback import _report, home, projects  # noqa: F401 (fixtures)
from gaizao.works.models import Project

DEMO_DAY = datetime.date(2021, 11, 25)


def test_feedback_lives_on_the_platforms_day(projects, home, settings, monkeypatch):  # noqa: F811
    monkeypatch.setattr(clock, "real_today", lambda: datetime.date(2026, 3, 2))
    monkeypatch.setattr(clock, "real_now", lambda: timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)))
    settings.GAIZAO_TODAY = DEMO_DAY
    item = _report(home)
    assert timezone.localtime(item.created_at).date() == DEMO_DAY
    assert timezone.localtime(item.events.get().at).date() == DEMO_DAY
    assert item.due_date == DEMO_DAY + datetime.timedelta(days=7)
    assert not feedback.is_overdue(item)
    # The 2021 bulletin counts it: it was reported on its day, not in 2026.
    assert feedback.counts(Project.objects.all())["district"] == {"open": 1, "overdue": 0}
    settings.GAIZAO_TODAY = DEMO_DAY + datetime.timedelta(days=8)
    assert feedback.is_overdue(item)
    assert feedback.counts(Project.objects.all())["district"] == {"open": 1, "overdue": 1}
