"""Synthetic data at any scale, for benchmarks and load tests (`gaizao generate_data`).

Province scale (10,000 communities) gives about 50,000 buildings, 1.5 M households and 2 M progress-report
lines; `Layout` spreads them over provinces, cities and districts (default: one city, as before). It fills an
empty database: every community code starts with the code prefix, so it never collides with real or demo data,
and a second run with the same prefix is refused.
"""

import random
import time

from django.db import connection, transaction

from gaizao.accounts.models import User
from gaizao.communities.models import Building, Community
from gaizao.demo.synthetic import areas, census, names, people, residents, works
from gaizao.demo.synthetic.areas import Layout
from gaizao.demo.synthetic.bulk import analyze
from gaizao.households.models import Household

DEFAULT_LINES_PER_COMMUNITY = 200
PASSWORD = "gaizao-demo-2021"


class AlreadyGenerated(Exception):
    pass


def _users(subdistricts, password):
    specs = [("bureau", User.Role.BUREAU, "住建局项目科", None), ("leader", User.Role.LEADER, "领导", None)]
    specs += [(people.officer_name(s), User.Role.SUBDISTRICT_OFFICER, f"{s.district.name}{s.name}", s)
              for s in subdistricts]
    return people.make_users(specs + areas.account_specs(subdistricts), password)


def generate(communities: int, *, seed: int = 1, lines: int | None = None, code_prefix: str = "99",
             layout: Layout | None = None, password: str = PASSWORD, progress=lambda done, total, label: None,
             stage=lambda label: None) -> dict:
    """Build the data; returns counts and the seconds each stage took. One transaction: all or nothing.
    `layout`: provinces, cities and districts (default: one city of a district per about 400 communities)."""
    layout = layout or Layout()
    if Community.objects.filter(code__startswith=code_prefix).exists() or areas.codes_taken(layout, code_prefix):
        raise AlreadyGenerated(code_prefix)
    rng = random.Random(seed)
    lines = DEFAULT_LINES_PER_COMMUNITY * communities if lines is None else lines
    counts, seconds = {}, {}
    clock = [time.perf_counter()]

    def done(label, **found):
        counts.update(found)
        now = time.perf_counter()
        seconds[label] = round(now - clock[0], 1)
        clock[0] = now
        stage(label)

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Django's foreign keys are checked at commit by default: millions of checks in one silent wait at the
            # end. Immediate, each insert pays for its own rows while the progress line moves.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        subdistricts = areas.make_areas(rng, communities, code_prefix, layout)
        districts = list({s.district.pk: s.district for s in subdistricts}.values())
        cities = {d.parent_id: d.parent for d in districts}
        users = _users(subdistricts, password)
        done("areas", provinces=len({c.parent_id for c in cities.values() if c.parent_id}), cities=len(cities),
             districts=len(districts), subdistricts=len(subdistricts))
        made = census.make_communities(rng, communities, subdistricts, code_prefix)
        done("communities", communities=len(made), eligible=sum(c.is_eligible for c in made))
        buildings = census.make_buildings(rng, made)
        done("buildings", buildings=sum(len(b) for b in buildings.values()))
        households = census.make_households(rng, [b for group in buildings.values() for b in group], progress)
        analyze(Community, Building, Household)
        done("households", households=households)
        items = works.make_plans(rng, made, buildings)
        programmes = works.make_programmes(rng, made, districts, areas.COST_PER_M2, buildings)
        done("plans", plans=len(items), programmes=programmes)
        contractors, supervisors, reporters = people.make_companies(rng, communities, password, names)
        projects = works.make_projects(rng, made, items, contractors, supervisors)
        works.make_milestones(districts)
        accepted = works.make_acceptances(rng, projects, users["bureau"])
        done("projects", companies=len(contractors) + len(supervisors), projects=len(projects), accepted=accepted)
        entries = works.make_progress(rng, projects, reporters, lines, progress)
        done("progress", progress_entries=entries)
        plans = {}
        for plan_items in items.values():
            if plan_items:
                plans[plan_items[0].plan.community_id] = plan_items[0].plan
        voting = residents.make_votes(rng, made, plans, buildings, password, users["bureau"], progress)
        feedback = residents.make_feedback(rng, projects, progress)
        residents.make_notices(districts, users["bureau"])
        done("residents", feedback=feedback, **voting)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the first pages are planned as if the tables were still empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        done("analyze")
    return {"counts": counts, "seconds": seconds}
