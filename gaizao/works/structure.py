"""The projects' shape, kept between requests: each project's code, name, contractor, start, status and
acceptance date, the communities it covers and their sub-districts.

The dashboard and the bulletin of the whole platform read this for some 9,000 projects and 15,000 links at
50,000 communities on every request (40 ms of SQL, as much again of Python) though it changes a few times a day:
a project set up, started or accepted, a community renamed. Every save and delete of the models it is read from
changes a stamp (`gaizao.core.stamps`); rows created in bulk send no signal and are caught by the newest ids. A
page reads the stamp and the newest ids first (one query, each an index look-up) and rebuilds the shape only when
they moved. A progress report does not change it: a project is saved only when its start or status changes.
"""

import time
from collections import defaultdict
from dataclasses import dataclass

from gaizao.core import stamps
from gaizao.core.queries import by_ids
from gaizao.regions.models import Area
from gaizao.works.kept import MAX_AGE, _keep, _Kept, _recall
from gaizao.works.models import Acceptance, Company, Project

STAMP = "works.structure"


@dataclass(frozen=True)
class Structure:
    # project id → (code, name, contractor's name, actual start, status, acceptance date or None)
    projects: dict
    # project id → (community code, sub-district id) of its first community by code
    first: dict
    # project id → its communities' ids
    communities_of: dict
    # community id → (code, name, sub-district id), for the communities of some project
    communities: dict
    # community id → its projects' ids
    projects_of: dict
    # sub-district id → (code, name, district id, district code, district name), for the communities above
    areas: dict
    # community id → the earliest acceptance of its projects, for those accepted
    first_accepted: dict
    fingerprint: tuple  # what it was checked against: figures kept from it are checked against it too

    def __len__(self) -> int:  # its size, for the kept figures' rule on freezing large ones
        return len(self.projects) + len(self.communities)


def watch() -> None:
    """Connected once the apps are ready (`WorksConfig.ready`)."""
    from gaizao.communities.models import Community

    stamps.watch(STAMP, Project, Project.communities.through, Acceptance, Company, Community, Area)


def _fingerprint() -> tuple:
    return stamps.fingerprint(STAMP, Project, Project.communities.through, Acceptance)


def current(projects=()) -> Structure:
    """The shape as it is now; `projects`: ids the caller read just before, rebuilt for if one is missing (a
    project created between the caller's query and the check)."""
    fingerprint = _fingerprint()
    kept = _recall("structure")
    if (kept is not None and kept.upto_created == fingerprint and time.monotonic() - kept.made < MAX_AGE
            and all(pk in kept.sums.projects for pk in projects)):
        return kept.sums
    rows = {pk: rest for pk, *rest in Project.objects.order_by().values_list(
        "pk", "code", "name", "contractor__name", "actual_start", "status", "acceptance__date")}
    first, communities_of, communities, projects_of = {}, defaultdict(list), {}, defaultdict(list)
    for project_id, community_id, code, name, sub_id in Project.communities.through.objects.values_list(
            "project_id", "community_id", "community__code", "community__name", "community__subdistrict_id"):
        communities[community_id] = (code, name, sub_id)
        communities_of[project_id].append(community_id)
        projects_of[community_id].append(project_id)
        known = first.get(project_id)
        if known is None or code < known[0]:
            first[project_id] = (code, sub_id)
    areas = {pk: rest for pk, *rest in by_ids(Area.objects.all(), {c[2] for c in communities.values()}).values_list(
        "pk", "code", "name", "parent_id", "parent__code", "parent__name")}
    first_accepted = {}
    for community, project_ids in projects_of.items():
        dates = [rows[pk][5] for pk in project_ids if rows[pk][5] is not None]
        if dates:
            first_accepted[community] = min(dates)
    found = Structure(rows, first, dict(communities_of), communities, dict(projects_of), areas, first_accepted,
                      fingerprint)
    _keep("structure", _Kept(0, fingerprint, time.monotonic(), found))
    return found
