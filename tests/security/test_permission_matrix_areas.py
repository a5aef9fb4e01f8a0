"""The permission matrix for the roles scoped to an area: every route of `test_permission_matrix` asked by

- "other_bureau": the bureau of 永济市, a second district of 运城市 on the same platform (User.area on a bureau
  account). Every object of the world is 盐湖区's, so every case that names one must be refused (403/404, or a form
  that refuses the choice), no POST may succeed, and no answer may name 盐湖区's communities, projects or people;
- "city_leader": 运城市's leader (read only). It reads what the whole platform's leader reads of 盐湖区 (its district)
  except the district's own work (programme, residents, defects, joint meeting), and writes nothing.

The expected outcome of each case is derived from the bureau's and the leader's in MATRIX (the rules below), so a
new route is covered here as soon as it has its entry there.
"""

import re

import pytest

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.regions.models import Area
from tests.security.conftest import _login
from tests.security.test_permission_matrix import (
    ADMIN_LOGIN,
    BAD,
    CREATED,
    DENY,
    ENTRY,
    LOGIN,
    METHOD,
    OK,
    REDIRECT,
    all_cases,
    request,
)

SUCCESS = (OK, CREATED, REDIRECT)
# What is the whole platform's (not a district's): the catalogue, the areas, the departments, the API's schema.
PLATFORM_WIDE = ("catalog:list", "catalog:export", "work-item-list", "work-item-detail", "area-list", "area-detail",
                 "department-list", "department-detail", "api-schema", "api-docs", "api-root", "health", "favicon",
                 "communities:template", "households:households_template", "coordination:ranking")
# A district's own work: not a province's or city's leader's to read (docs/rollup.md).
DISTRICT_WORK = ("planning:", "households:", "votes:", "surveys:", "feedback:", "notices:", "defects:",
                 "coordination:", "aftercare:", "catalog:", "programme-", "scenario-", "assignment-",
                 "api-votes", "api-vote", "api-survey", "api-households", "api-feedback", "api-defect",
                 "api-notices", "management-arrangement", "meeting-", "coordination-item", "utility-work",
                 "department-")


def _public(case) -> bool:
    """Pages anyone may open (a resident's entry page names its community to everyone)."""
    return case.expect["anonymous"] not in (LOGIN, DENY, ADMIN_LOGIN)


def _names_an_object(case) -> bool:
    """A path with a parameter other than DRF's format suffix: every such object of the world is 盐湖区's."""
    names = {a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", case.pattern)}
    return bool(names - {"format"})


def other_bureau_allows(case) -> tuple:
    case.route = case.route or ""
    own = case.expect["bureau"]
    own = own if isinstance(own, tuple) else (own,)
    if _public(case) or case.pattern.startswith("admin/") or case.route in ("login", "logout", "set_language"):
        return (*own, DENY, ADMIN_LOGIN, OK, REDIRECT, METHOD, ENTRY, BAD)
    if case.route in PLATFORM_WIDE:
        return (*own, DENY)
    if case.method == "post":
        return (DENY, BAD, OK, METHOD) if case.kwargs is None else (DENY, METHOD)
    if _names_an_object(case):
        return (DENY, METHOD, REDIRECT) if REDIRECT in own and OK not in own else (DENY, METHOD)
    return (*own, DENY)


def city_leader_allows(case) -> tuple:
    case.route = case.route or ""
    leader = case.expect["leader"]
    leader = leader if isinstance(leader, tuple) else (leader,)
    if case.method == "post" and not _public(case) and case.route not in ("login", "logout", "set_language"):
        return (DENY, METHOD, BAD, OK) if OK in leader or BAD in leader else (DENY, METHOD)
    if case.route.startswith(DISTRICT_WORK):
        return (*leader, DENY)
    return leader


def yanhu_names(world) -> list[str]:
    return [world.east.name, world.east.code, world.west.name, world.west.code, world.project.name,
            world.rival_project.name, world.west_household_owner, world.texts["owner"], world.texts["feedback"]]


@pytest.fixture
def scoped(world, db):
    yuncheng = world.district.parent
    yongji = Area.objects.create(name="永济市", code="140881", level=Area.Level.DISTRICT, parent=yuncheng)
    Area.objects.create(name="城西街道", code="140881001", level=Area.Level.SUBDISTRICT, parent=yongji)
    users = {"other_bureau": ensure_user("yongji", PASSWORD, User.Role.BUREAU, area=yongji),
             "city_leader": ensure_user("yuncheng", PASSWORD, User.Role.LEADER, area=yuncheng)}
    for persona, user in users.items():
        world.sessions[persona] = _login(user)
    return users


@pytest.mark.parametrize("persona", ["other_bureau", "city_leader"])
def test_permission_matrix_of_scoped_roles(world, scoped, persona):
    rule = other_bureau_allows if persona == "other_bureau" else city_leader_allows
    names = yanhu_names(world)
    problems = []
    for case in all_cases():
        allowed = rule(case)
        actual, status, detail, _names = request(world, persona, case)
        where = f"{case.method.upper()} {case.route}{' [' + case.label + ']' if case.label else ''}"
        if actual not in allowed:
            problems.append(f"{where}: expected {'/'.join(dict.fromkeys(allowed))}, got {actual} ({status}) at "
                            f"{detail}")
        if persona == "other_bureau" and status == 200 and not _public(case):
            shown = _shown(world, persona, case, names)
            if shown:
                problems.append(f"{where}: shows {shown}, which are 盐湖区's, at {detail}")
    assert not problems, f"{persona}: {len(problems)} cases differ:\n" + "\n".join(problems)


def _shown(world, persona, case, names) -> list[str]:
    """盐湖区's names in the answer (asked again: `request` reads the body only for the matrix's own personas)."""
    from django.db import transaction

    from tests.security.conftest import client_for

    if case.method != "get":
        return []
    client = client_for(world, persona)
    with transaction.atomic():
        response = client.get(case.url(world))
        transaction.set_rollback(True)
    if response.streaming or not response.get("Content-Type", "").startswith(("text/html", "application/json")):
        return []
    body = response.content.decode()
    return [name for name in names if name in body]
