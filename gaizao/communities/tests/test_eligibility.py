from conftest import make_community
from gaizao.communities.eligibility import BUILT_AFTER_CUTOFF, evaluate
from gaizao.communities.models import Community
from gaizao.communities.services import refresh_eligibility_for_district, verdict_for


def test_old_community_with_no_other_programme_is_eligible():
    verdict = evaluate(1995, "", 2000)
    assert verdict.eligible and verdict.reason_code == ""
    assert len(verdict.reasons) == 2


def test_the_cutoff_year_itself_still_counts_as_old():
    assert evaluate(2000, "", 2000).eligible
    assert evaluate(2001, "", 2000).reason_code == BUILT_AFTER_CUTOFF


def test_another_programme_excludes_it_and_says_which():
    verdict = evaluate(1990, "shanty_town", 2000)
    assert not verdict.eligible and verdict.reason_code == "shanty_town"


def test_changing_the_district_cutoff_recomputes_eligibility(dongcheng, district):
    community = make_community(dongcheng, "E1", "晚建小区", year_built=2003)
    assert not community.is_eligible
    district.settings.cutoff_year = 2005
    district.settings.save()
    refresh_eligibility_for_district(district)
    community = Community.objects.get(pk=community.pk)
    assert community.is_eligible
    assert verdict_for(community).eligible
