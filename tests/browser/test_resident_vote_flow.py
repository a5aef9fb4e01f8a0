"""A resident scans the stairwell QR code on a phone, identifies with the committee's code, votes, and watches the
turnout change as neighbours vote."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import make_community
from gaizao.households import access
from gaizao.households.models import Household, Owner, Ownership
from gaizao.votes import services as votes
from gaizao.votes.models import Vote
from tests.browser.conftest import identify_on_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def test_a_resident_votes_on_a_phone_and_sees_the_turnout_change(phone, live_server, dongcheng, bureau):
    community = make_community(dongcheng, "DC301", "电机厂家属院", buildings=((6, 24, "2400"),))
    building = community.buildings.get()
    homes = []
    for number, room in enumerate(("101", "102", "201"), start=1):
        home = Household.objects.create(building=building, stairwell_unit=1, room=room,
                                        exclusive_area_m2=Decimal("65.50"))
        person = Owner.objects.create(community=community, name=f"业主{number}", phone=f"1380000000{number}",
                                      id_number=f"14080219600101000{number}")
        Ownership.objects.create(household=home, owner=person)
        homes.append(home)
    now = timezone.now()
    vote = votes.create_vote(bureau, community, title="1号楼1单元加装电梯", matter=Vote.Matter.REBUILD,
                             electorate=Vote.Electorate.UNIT, building=building, stairwell_unit=1,
                             opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7))
    votes.cast_ballot(vote, homes[1], "yes")  # a neighbour has voted already
    code = access.issue_codes(bureau, [homes[0]])[0].code

    # The QR code on the stairwell door leads to the community's entry page.
    identify_on_phone(phone, live_server, community, building, "101", code)

    phone.click(f"a[data-vote='{vote.pk}']")
    phone.wait_for_selector("#vote-question")
    assert phone.inner_text("#vote-question") == "1号楼1单元加装电梯"
    # Three large buttons, one under the other, comfortably tappable.
    buttons = phone.locator("#vote-buttons button")
    assert buttons.count() == 3
    box = buttons.first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300
    buttons.first.click()  # 同意 (in favour)

    phone.wait_for_selector("#thank-you")
    turnout = phone.locator("[data-figure=turnout-voters]")
    assert (turnout.get_attribute("data-part"), turnout.get_attribute("data-total")) == ("2", "3")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "resident-vote-phone.png"), full_page=True)

    # The last neighbour votes on paper; the page polls and the turnout changes without a reload.
    votes.cast_ballot(vote, homes[2], "no", channel="paper", entered_by=bureau)
    phone.wait_for_selector("[data-figure=turnout-voters][data-part='3']", timeout=15000)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    found = votes.result(vote)
    assert (found["yes"]["voters"], found["no"]["voters"]) == (2, 1)
    # Nothing on the page names a neighbour or shows a phone or ID number.
    page_text = phone.content()
    for secret in ("业主2", "13800000002", "140802196001010002"):
        assert secret not in page_text


def test_the_bureau_watches_the_count_and_the_committee_enters_paper(page, live_server, dongcheng, bureau):
    from tests.browser.test_summary_flow import login

    community = make_community(dongcheng, "DC302", "化工厂家属院", buildings=((6, 24, "2400"),))
    building = community.buildings.get()
    homes = [Household.objects.create(building=building, stairwell_unit=1, room=room, exclusive_area_m2=area)
             for room, area in (("101", Decimal("80")), ("102", Decimal("60")), ("201", Decimal("60")))]
    now = timezone.now()
    vote = votes.create_vote(bureau, community, title="小区改造方案", opens_at=now - datetime.timedelta(hours=1),
                             closes_at=now + datetime.timedelta(days=7))
    login(page, live_server, "bureau")
    page.goto(f"{live_server.url}/votes/{vote.pk}/")
    assert page.inner_text("[data-figure=voters]") == "0 / 3"
    votes.cast_ballot(vote, homes[0], "yes")
    # The count refreshes by itself every few seconds.
    page.wait_for_selector("[data-figure=voters][data-part='1']", timeout=15000)
    page.click("#paper-link")
    page.click(f"#h{homes[1].pk} button[value=yes]")
    page.wait_for_selector(f"#h{homes[1].pk} [data-current=yes]")
    page.goto(f"{live_server.url}/votes/{vote.pk}/")
    assert page.inner_text("[data-figure=voters]") == "2 / 3"
    # Quorum by owners and by area (140 of 200 m²) and more than half in favour: passed if it closed now.
    assert page.get_attribute("#vote-figures [data-figure=passed]", "data-passed") == "true"
    assert page.locator("#published-rows tbody tr").count() == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vote-count.png"), full_page=True)


def test_a_paper_ballot_is_corrected_with_a_reason_and_numbers_are_shown_with_one(page, live_server, dongcheng,
                                                                                 bureau):
    """At the office screen (1366×768): the committee corrects a wrongly entered paper ballot, giving a reason;
    the register shows every number masked until one household's are revealed, with a reason."""
    from gaizao.core.models import AuditEntry
    from tests.browser.test_summary_flow import login

    page.set_viewport_size({"width": 1366, "height": 768})
    community = make_community(dongcheng, "DC303", "棉纺厂家属院", buildings=((6, 24, "2400"),))
    building = community.buildings.get()
    home = Household.objects.create(building=building, stairwell_unit=1, room="101", exclusive_area_m2=Decimal("70"))
    person = Owner.objects.create(community=community, name="业主甲", phone="13912345678",
                                  id_number="140802196001011234")
    Ownership.objects.create(household=home, owner=person)
    now = timezone.now()
    vote = votes.create_vote(bureau, community, title="小区改造方案", opens_at=now - datetime.timedelta(hours=1),
                             closes_at=now + datetime.timedelta(days=7))
    votes.cast_ballot(vote, home, "yes", channel="paper", entered_by=bureau)
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")

    page.goto(f"{live_server.url}/votes/{vote.pk}/paper/")
    page.select_option(f"#choice{home.pk}", "no")
    page.fill(f"#reason{home.pk}", "选票上勾的是反对，录入时点错")
    page.click(f"#h{home.pk} .correction-form button")
    page.wait_for_selector(f"#h{home.pk} [data-current=no]")
    assert AuditEntry.objects.get(object_type="votes.ballot", action="update").reason == "选票上勾的是反对，录入时点错"

    page.goto(f"{live_server.url}/r/manage/{community.code}/")
    assert "139****5678" in page.inner_text("#household-table") and "13912345678" not in page.content()
    page.click(f"tr[data-household='{home.pk}'] summary")
    page.fill(f"tr[data-household='{home.pk}'] input[name=reason]", "核对产权人身份")
    page.click(f"tr[data-household='{home.pk}'] form button")
    page.wait_for_selector("#revealed-owners")
    assert "13912345678" in page.inner_text("#revealed-owners")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
