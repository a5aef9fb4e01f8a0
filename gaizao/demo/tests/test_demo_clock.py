"""The demo lives on 2021-11-25 whatever the machine's calendar says (#13): opened in 2026 (or 2020, or on the day
itself) it shows the 2021 dashboard and bulletin, a contractor's report is dated 2021-11-25 by default, and after
it the figures are the same 2021 figures, the report's value added and nothing else moved."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gaizao.accounts.models import User
from gaizao.core import clock
from gaizao.works.models import Project

DEMO_DAY = datetime.date(2021, 11, 25)


def _figures(client) -> dict:
    """What a leader reads on the dashboard and the bulletin, opened without a date."""
    dashboard = client.get(reverse("works:dashboard"))
    bulletin = client.get(reverse("works:bulletin"))
    assert dashboard.status_code == 200 and bulletin.status_code == 200
    data, page = dashboard.context["data"], bulletin.context
    progress = dashboard.context["charts"]["progress"]
    return {
        "dashboard day": dashboard.context["day"], "bulletin day": page["day"], "title": page["data"]["title"],
        "projects": data["district"]["projects"], "started": data["district"]["started"],
        "done value": data["district"]["done_value"],
        "milestone": data["milestone"] and (data["milestone"]["date"], data["milestone"]["target_share"]),
        "projects at risk": data["milestone"] and data["milestone"]["projects_at_risk"],
        "lagging": [p["code"] for p in page["data"]["lagging"]],
        "feedback open": page["data"]["district"]["feedback_open"],
        "chart ends": progress["points"][-1][0], "forecast line": progress["milestone"] is not None,
        "banner": "2021年11月25日" in bulletin.content.decode().split('id="platform-day"')[1][:200],
    }


@pytest.mark.parametrize("real_day", [datetime.date(2026, 12, 7), datetime.date(2020, 1, 15), DEMO_DAY])
def test_the_demo_shows_2021_before_and_after_a_report_with_the_default_date(yanhu_demo, client, monkeypatch,
                                                                               real_day):
    monkeypatch.setattr(clock, "real_today", lambda: real_day)
    monkeypatch.setattr(clock, "real_now",
                        lambda: timezone.make_aware(datetime.datetime.combine(real_day, datetime.time(10, 30))))
    client.force_login(User.objects.get(username="leader"))
    before = _figures(client)
    assert before["dashboard day"] == before["bulletin day"] == DEMO_DAY and before["chart ends"] == "2021-11-25"
    assert before["milestone"] and before["forecast line"] and before["banner"]
    assert before["feedback open"] >= 2  # the demo's residents reported on the demo's day

    # The contractor opens the report form of one of its started projects of the year (not an earlier renovation,
    # accepted in 2020, which the 2021 figures leave out) and keeps the date it offers.
    contractor = User.objects.get(username="contractor")
    project = Project.objects.filter(contractor__members__user=contractor, actual_start__isnull=False,
                                     acceptance__isnull=True).first()
    client.force_login(contractor)
    form = client.get(reverse("works:report", args=[project.code])).content.decode()
    offered = re.search(r'name="date" value="([0-9-]+)"', form).group(1)
    assert offered == "2021-11-25"
    item = next(i for i in project.items.select_related("plan_item")
                if sum(e.quantity for e in i.entries.all()) + 1 <= i.plan_item.quantity)
    sent = client.post(reverse("works:report", args=[project.code]),
                       {"date": offered, f"qty_{item.pk}": "1", "stage": "during"})
    assert sent.status_code == 302

    client.force_login(User.objects.get(username="leader"))
    after = _figures(client)
    assert after.pop("done value") - before.pop("done value") == item.plan_item.unit_cost
    assert after == before
