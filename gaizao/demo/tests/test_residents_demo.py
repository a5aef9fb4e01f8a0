from django.core.management import call_command

from gaizao.households.models import Committee, Household
from gaizao.notices.models import Notice
from gaizao.votes import services as votes
from gaizao.votes.models import Vote


def test_the_demo_gives_kangjie_residents_a_committee_codes_and_an_open_vote(yanhu_demo):
    output = yanhu_demo
    households = Household.objects.filter(building__community__name="康杰中学家属院")
    assert households.count() == 193  # the census households of its 8 buildings
    assert Committee.objects.get().members.get().user.username == "zhanglirong"
    plan_vote = Vote.objects.get(subject="plan")
    assert votes.is_open(plan_vote) and 0 < votes.result(plan_vote)["participating"]["voters"] < 193
    assert Notice.objects.filter(title__contains="防冻").exists()
    assert "/r/YH001/" in output and "1单元 101" in output
    before = Household.objects.count()  # 康杰中学家属院's and those of the after-acceptance demo
    call_command("load_demo")
    assert Household.objects.count() == before and households.count() == 193
    assert Notice.objects.filter(title__contains="防冻").count() == 1
