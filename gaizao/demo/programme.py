"""The demo's five-year programme (2021–2025): the 2021 batch pinned to 2021, the rest placed by the optimiser."""

from decimal import Decimal

from django.db import transaction

from gaizao.communities.models import Community
from gaizao.demo.yanhu import DISTRICT_CODE
from gaizao.planning import funding
from gaizao.planning import programme as programmes
from gaizao.planning.models import Assignment, Programme, ProgrammeYear, Scenario
from gaizao.regions.models import Area

NAME = "盐湖区中心城区老旧小区改造五年计划（2021—2025年）"
# 2021: the 236 M yuan batch fits in 2.4亿; the other years hold the remaining ~9.64亿 with some room.
BUDGETS = {2021: 240_000_000, 2022: 300_000_000, 2023: 260_000_000, 2024: 240_000_000, 2025: 200_000_000}
CAPACITY_HOUSEHOLDS = {2021: 5000, 2022: 6000, 2023: 6000, 2024: 6000, 2025: 6000}
# The money of each year by source (yuan), in spending order: the central subsidy pays only basic and improvement
# work, special bonds and the city and district budget pay any work (together each year's budget above), and the
# housing provident fund pays only upgrade work (elevators), on top.
FUNDING = {
    2021: {"central_subsidy": 100_000_000, "special_bonds": 80_000_000, "local_budget": 60_000_000,
           "provident_fund": 5_000_000},
    2022: {"central_subsidy": 120_000_000, "special_bonds": 110_000_000, "local_budget": 70_000_000,
           "provident_fund": 10_000_000},
    2023: {"central_subsidy": 100_000_000, "special_bonds": 100_000_000, "local_budget": 60_000_000,
           "provident_fund": 10_000_000},
    2024: {"central_subsidy": 90_000_000, "special_bonds": 90_000_000, "local_budget": 60_000_000,
           "provident_fund": 10_000_000},
    2025: {"central_subsidy": 80_000_000, "special_bonds": 70_000_000, "local_budget": 50_000_000,
           "provident_fund": 10_000_000},
}
MOVE_PENALTY = Decimal(2000)  # a re-plan gives up about one 40-household community's year per move
# 2021 is under way with its 49 communities; no further community starts this year.
CAPACITY_COMMUNITIES = {2021: 49}


def delete_programme() -> None:
    Programme.objects.filter(name=NAME).delete()


@transaction.atomic
def load_programme() -> Programme | None:
    if Programme.objects.filter(name=NAME).exists():
        return None
    district = Area.objects.get(code=DISTRICT_CODE)
    programme = Programme.objects.create(name=NAME, district=district, first_year=2021, last_year=2025,
                                         current_year=2021)
    ProgrammeYear.objects.bulk_create([
        ProgrammeYear(programme=programme, year=year, budget_yuan=Decimal(budget),
                      capacity_households=CAPACITY_HOUSEHOLDS[year],
                      capacity_communities=CAPACITY_COMMUNITIES.get(year))
        for year, budget in BUDGETS.items()])
    for year, sources in FUNDING.items():
        funding.save_year_funding(None, programme, year, [
            {"code": code, "amount_yuan": amount, "pays": funding.DEFAULT_PAYS.get(code, "all")}
            for code, amount in sources.items()])
    programme.move_penalty = MOVE_PENALTY
    programme.save(update_fields=["move_penalty"])
    programmes.sync_assignments(programme)
    batch = Community.objects.filter(subdistrict__parent=district, batch_year=2021, is_eligible=True)
    Assignment.objects.filter(programme=programme, community__in=batch).update(pinned_year=2021)
    scenario = Scenario.objects.create(programme=programme, name="演示：按预算优化",
                                       inputs=programmes.default_inputs(programme))
    programmes.run_scenario(scenario.pk)
    scenario.refresh_from_db()
    programmes.adopt(None, scenario)
    return programme
