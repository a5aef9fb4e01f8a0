"""Who may open and do what: every URL pattern × every role, declared once and checked against the running site.

The route list comes from the resolver, so a new page without an entry here fails `test_every_route_is_in_the
_matrix`. Each entry lists cases (GET, and the main POST actions; the "foreign" cases point at 西城's community,
the rival's project, another household) with the outcome expected for each persona:

    ok 200 · created 201 · redirect 302 (not to a login page) · login 302 to the login page · entry 302 to the
    residents' entry page · deny 401, 403 or 404 (404 gives no hint that the record exists) · 405 · 400

Personas: bureau staff, a leader (read only), the officer of 东城办事处, the contractor 中建交通建设集团 (project
P1 in 东城), a member of 康杰中学家属院's residents' committee, a resident whose phone identified household
1号楼 1单元101 with a one-time code, anonymous, and a member of 盐湖区供水公司 on the joint meeting ("department":
an outside body with an account, denied every staff page and API but the joint meeting's). Every request runs in
a savepoint rolled back at once, so one POST never changes what the next request sees.

Admin, the i18n view and /api/ routes without an entry follow simple rules (see `rule_for`).
"""

import datetime
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.security.conftest import WORK_DAY, client_for

PERSONAS = ("bureau", "leader", "officer", "contractor", "committee", "resident", "anonymous", "department")
STAFF = PERSONAS[:5]

OK, CREATED, REDIRECT, LOGIN, ENTRY, DENY, METHOD, BAD = (
    "ok", "created", "redirect", "login", "entry", "deny", "405", "400")
ADMIN_LOGIN = "admin-login"


# ---- declaring expectations ----------------------------------------------------------------------------------

def _expect(base: dict, over: dict) -> dict:
    unknown = set(over) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {**base, **over}


def everyone(default, **over):
    """Public pages: the same for all, unless said otherwise."""
    return _expect(dict.fromkeys(PERSONAS, default), over)


def logged_in(default=OK, **over):
    """Pages behind the login: a resident's phone has no account, so it is sent to log in like anyone; a
    department's member is denied unless the entry says otherwise (its pages are the joint meeting's)."""
    return _expect({**dict.fromkeys(STAFF, default), "resident": LOGIN, "anonymous": LOGIN, "department": DENY},
                   over)


def api(default=OK, **over):
    """API routes: no answer without an account; a department's member only the joint meeting's."""
    return _expect({**dict.fromkeys(STAFF, default), "resident": DENY, "anonymous": DENY, "department": DENY}, over)


def household(default=OK, **over):
    """Residents' pages: only the identified household; everyone else goes to the entry page."""
    return _expect({**dict.fromkeys(PERSONAS, ENTRY), "resident": default}, over)


@dataclass
class Case:
    method: str
    expect: dict
    kwargs: Callable | None = None
    data: Callable | None = None
    query: str = ""
    json: bool = False
    label: str = ""
    route: str = ""
    pattern: str = ""  # for a pattern without a name: the path is the pattern filled in

    def url(self, world) -> str:
        kwargs = self.kwargs(world) if self.kwargs else {}
        if self.route:
            return reverse(self.route, kwargs=kwargs or None) + self.query
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), self.pattern)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
        return "/" + path.replace("\\Z", "").rstrip("$") + self.query


def get(expect, kwargs=None, query="", label=""):
    return Case("get", expect, kwargs, query=query, label=label)


def post(expect, data=None, kwargs=None, label="", as_json=False, query=""):
    return Case("post", expect, kwargs, data, query=query, json=as_json, label=label)


# ---- form data -------------------------------------------------------------------------------------------------

def form_data(form, **changes) -> dict:
    """What the browser would send back for a form as shown (its current or initial values), changed."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = "on"
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[bound.html_name] = value
    data.update(changes)
    return data


def community_form(w, community, **changes):
    from gaizao.communities.forms import CommunityForm

    return form_data(CommunityForm(instance=community, user=w.bureau), **changes)


def building_form(w, building, **changes):
    from gaizao.communities.forms import BuildingForm

    return form_data(BuildingForm(instance=building), **changes)


def item_form(w, **changes):
    from gaizao.catalog.forms import WorkItemForm

    item = w.project.items.order_by("pk").first().plan_item.item
    return form_data(WorkItemForm(instance=item), **changes)


def scenario_form(w):
    from gaizao.planning import programme as programmes
    from gaizao.planning.forms import ScenarioForm

    form = ScenarioForm(years=w.programme.years, initial_inputs=programmes.default_inputs(w.programme),
                        initial={"name": "再算一次"})
    return form_data(form)


def _in(days: int) -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def vote_form(community):
    return {"community": community.pk, "title": "加装电梯表决", "subject": "other", "matter": "other",
            "electorate": "community", "opens_at": _in(1), "closes_at": _in(10)}


def first_item(project):
    return project.items.order_by("pk").first()


# ---- path parameters ---------------------------------------------------------------------------------------------

def east(w):
    return {"code": w.east.code}


def west(w):
    return {"code": w.west.code}


def east_building(w):
    return {"code": w.east.code, "building_id": w.east.buildings.order_by("name").first().pk}


def west_building(w):
    return {"code": w.west.code, "building_id": w.west.buildings.first().pk}


def west_arrangement(w):
    """西城's management arrangement (its project was accepted): made on first use, with an agreement on file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gaizao.aftercare.models import ManagementArrangement

    arrangement, created = ManagementArrangement.objects.get_or_create(
        community=w.west, ended_on=None, defaults={
            "kind": "property_company", "body_name": "西城物业", "contact_name": "赵经理",
            "contact_phone": "13611113333", "since": datetime.date(2021, 6, 15), "fee_per_m2_month": "0.50"})
    if created:
        arrangement.agreement.save("agreement.pdf", SimpleUploadedFile("agreement.pdf", b"%PDF-1.4 x"))
    return {"code": w.west.code, "pk": arrangement.pk}


def arrangement_form(w):
    return {"kind": "state_platform", "body_name": "盐湖区城投物业", "contact_name": "李经理",
            "contact_phone": "0359-2285106", "since": "2021-08-01", "fee_per_m2_month": "0.45",
            "reason": "原物业撤场"}


# ---- the joint meeting -------------------------------------------------------------------------------------------

NOT_JOINT = {"contractor": DENY, "committee": DENY}  # the joint meeting is not theirs to read
JOINT = {**NOT_JOINT, "department": OK}  # a department reads its own


def own_item(w):
    return {"pk": w.coordination_item.pk}


def foreign_item(w):
    return {"pk": w.foreign_item.pk}


def own_work(w):
    return {"pk": w.utility_work.pk}


def foreign_work(w):
    return {"pk": w.foreign_work.pk}


def _close(w):
    return {"action": "close", "close-evidence": "主管已更换并通水"}


def _item_form(w):
    return {"description": "道路开挖审批", "lead_department": w.water_company.pk, "due_date": "2021-12-15"}


def _work_form(w):
    return {"community": w.east.code, "utility": w.water_company.pk, "description": "燃气管道改造", "quantity": "10",
            "unit": "m", "cost": "1000", "share_percent": "50", "year": "2021"}


COORDINATION = {
    "coordination:items": [get(logged_in(OK, **JOINT)), get(logged_in(OK, **JOINT), query="?format=xlsx",
                                                            label="xlsx")],
    "coordination:item": [
        get(logged_in(OK, **JOINT), own_item),
        get(logged_in(OK, officer=DENY, **NOT_JOINT), foreign_item,
            label="another department's, in 西城"),
        post(logged_in(DENY, bureau=REDIRECT, department=REDIRECT), _close, own_item),
        post(logged_in(DENY, bureau=REDIRECT), _close, foreign_item, label="another department's, in 西城"),
    ],
    "coordination:evidence": [get(logged_in(OK, **JOINT), lambda w: {"pk": w.closed_item.pk})],
    "coordination:item_correct": [
        get(logged_in(DENY, bureau=OK), own_item),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"correct-reason": "现场核查仍有问题"},
             lambda w: {"pk": w.closed_item.pk}, label="reopen a closed item"),
    ],
    "coordination:meetings": [get(logged_in(OK, **JOINT)), get(logged_in(OK, **JOINT), query="?format=xlsx",
                                                               label="xlsx")],
    "coordination:meeting_new": [
        get(logged_in(DENY, bureau=OK)),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: {"date": "2021-11-24", "title": "第四次联席会议", "departments": [w.water_company.pk]}),
    ],
    "coordination:meeting": [get(logged_in(OK, **JOINT), lambda w: {"pk": w.meeting.pk}),
                             post(logged_in(DENY, bureau=REDIRECT), _item_form, lambda w: {"pk": w.meeting.pk})],
    "coordination:ranking": [get(logged_in(OK, **JOINT))],
    "coordination:works": [get(logged_in(OK, **JOINT)), get(logged_in(OK, **JOINT), query="?format=xlsx",
                                                            label="xlsx")],
    "coordination:work_new": [get(logged_in(DENY, bureau=OK)), post(logged_in(DENY, bureau=REDIRECT), _work_form)],
    "coordination:work": [get(logged_in(OK, **JOINT), own_work),
                          get(logged_in(OK, officer=DENY, **NOT_JOINT), foreign_work,
                              label="another utility's, in 西城")],
    "coordination:work_report": [
        get(logged_in(DENY, bureau=OK, department=OK), own_work),
        get(logged_in(DENY, bureau=OK), foreign_work, label="another utility's, in 西城"),
        post(logged_in(DENY, bureau=REDIRECT, department=REDIRECT), lambda w: {"date": "2021-11-24", "quantity": "5"},
             own_work),
    ],
    "coordination:work_correct": [
        get(logged_in(DENY, bureau=REDIRECT, department=REDIRECT),
            lambda w: {"pk": w.utility_work.pk, "entry_id": w.utility_entry.pk}),
        post(logged_in(DENY, bureau=REDIRECT, department=REDIRECT), lambda w: {"quantity": "-1", "reason": "多报"},
             lambda w: {"pk": w.utility_work.pk, "entry_id": w.utility_entry.pk}),
    ],
    "coordination:work_photo": [
        get(logged_in(OK, **JOINT), lambda w: {"pk": w.utility_work.pk, "photo_id": w.utility_photo.pk}),
        get(logged_in(DENY), lambda w: {"pk": w.foreign_work.pk, "photo_id": w.utility_photo.pk},
            label="under another work"),
    ],
    "department-list": [get(api(OK, **JOINT))],
    "department-detail": [get(api(OK, **JOINT), lambda w: {"pk": w.water_company.pk})],
    "meeting-list": [
        get(api(OK, **JOINT)),
        post(api(DENY, bureau=CREATED), lambda w: {"date": "2021-11-24", "title": "第四次联席会议",
                                                   "departments": [w.water_company.pk]}, as_json=True),
    ],
    "meeting-detail": [get(api(OK, **JOINT), lambda w: {"pk": w.meeting.pk})],
    "coordination-item-list": [
        get(api(OK, **JOINT)),
        post(api(DENY, bureau=CREATED), lambda w: {"meeting": w.meeting.pk, **_item_form(w)}, as_json=True),
        post(api(DENY, bureau=BAD), lambda w: {"meeting": w.meeting.pk, "description": "道路开挖审批"},
             as_json=True, label="no lead department, no due date"),
    ],
    "coordination-item-detail": [
        get(api(OK, **JOINT), own_item),
        get(api(OK, officer=DENY, **NOT_JOINT), foreign_item, label="another department's"),
    ],
    "coordination-item-progress": [
        post(api(DENY, bureau=OK, department=OK), lambda w: {"text": "已开工"}, own_item, as_json=True),
        post(api(DENY, bureau=OK), lambda w: {"text": "已开工"}, foreign_item, as_json=True,
             label="another department's"),
    ],
    "coordination-item-close": [
        post(api(DENY, bureau=OK, department=OK), lambda w: {"evidence": "已通水"}, own_item, as_json=True),
        post(api(DENY, bureau=BAD, department=BAD), lambda w: {"evidence": ""}, own_item, as_json=True,
             label="no evidence"),
        post(api(DENY, bureau=OK), lambda w: {"evidence": "已通水"}, foreign_item, as_json=True,
             label="another department's"),
    ],
    "utility-work-list": [get(api(OK, **JOINT))],
    "utility-work-detail": [get(api(OK, **JOINT), own_work),
                            get(api(OK, officer=DENY, **NOT_JOINT), foreign_work,
                                label="another utility's")],
    "utility-work-report": [
        post(api(DENY, bureau=CREATED, department=CREATED), lambda w: {"date": "2021-11-24", "quantity": "5"},
             own_work, as_json=True),
        post(api(DENY, bureau=CREATED), lambda w: {"date": "2021-11-24", "quantity": "5"}, foreign_work,
             as_json=True, label="another utility's"),
    ],
}


# ---- the matrix ------------------------------------------------------------------------------------------------------

# 东城's officer, the contractor (P1, 东城) and the committee member (康杰中学家属院) see 东城 only.
FOREIGN_DENIED = {"officer": DENY, "contractor": DENY, "committee": DENY}
PLANNERS_ONLY = {"contractor": DENY, "committee": DENY}  # the programme is planned by the bureau and sub-districts

MATRIX: dict[str, list[Case]] = {
    # -- site ----------------------------------------------------------------------------------------------------
    "home": [get(logged_in(REDIRECT, department=REDIRECT))],
    "login": [get(everyone(REDIRECT, resident=OK, anonymous=OK)),
              post(everyone(REDIRECT, resident=OK, anonymous=OK), lambda w: {"username": "bureau", "password": "x"},
                   label="wrong password")],
    "logout": [get(everyone(METHOD)), post(everyone(LOGIN))],
    "health": [get(everyone(OK))],
    "favicon": [get(everyone(REDIRECT))],
    "set_language": [post(everyone(REDIRECT), lambda w: {"language": "en", "next": "/"})],
    # -- summary -------------------------------------------------------------------------------------------------
    "reports:summary": [get(logged_in())],
    "reports:summary_export": [get(logged_in())],
    # -- census ----------------------------------------------------------------------------------------------------
    "communities:list": [get(logged_in())],
    "communities:export": [get(logged_in())],
    "communities:map": [get(logged_in())],
    "communities:template": [get(everyone(OK))],
    "communities:create": [
        get(logged_in(DENY, bureau=OK, officer=OK)),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: community_form(w, w.east, code="DC009", name="新登记小区")),
    ],
    "communities:import": [get(logged_in(DENY, bureau=OK, officer=OK)),
                           post(logged_in(DENY, bureau=OK, officer=OK), label="no file")],
    "communities:import_job": [get(logged_in(DENY, bureau=OK), lambda w: {"job_id": w.job.pk})],
    "communities:import_confirm": [get(logged_in(METHOD), lambda w: {"job_id": w.job.pk}),
                                   post(logged_in(DENY, bureau=REDIRECT), kwargs=lambda w: {"job_id": w.job.pk})],
    "communities:detail": [get(logged_in(OK, contractor=DENY, committee=DENY), east),
                           get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    "communities:edit": [
        get(logged_in(DENY, bureau=OK, officer=OK), east),
        get(logged_in(DENY, bureau=OK), west, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), lambda w: community_form(w, w.east, name="改名"),
             east),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: community_form(w, w.west, name="改名"), west,
             label="foreign"),
    ],
    "communities:delete": [
        get(logged_in(DENY, bureau=OK, officer=OK), east),
        get(logged_in(DENY, bureau=OK), west, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), kwargs=east),
        post(logged_in(DENY, bureau=REDIRECT), kwargs=west, label="foreign"),
    ],
    "communities:building_create": [
        get(logged_in(DENY, bureau=OK, officer=OK), east),
        get(logged_in(DENY, bureau=OK), west, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: building_form(w, w.east.buildings.first(), name="9号楼"), east),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: building_form(w, w.west.buildings.first(), name="9号楼"), west, label="foreign"),
    ],
    "communities:building_edit": [
        get(logged_in(DENY, bureau=OK, officer=OK), east_building),
        get(logged_in(DENY, bureau=OK), west_building, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: building_form(w, w.east.buildings.order_by("name").first(), floors=7), east_building),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: building_form(w, w.west.buildings.first(), floors=7), west_building, label="foreign"),
    ],
    "communities:building_delete": [
        get(logged_in(DENY, bureau=OK, officer=OK), east_building),
        get(logged_in(DENY, bureau=OK), west_building, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), kwargs=east_building),
        post(logged_in(DENY, bureau=REDIRECT), kwargs=west_building, label="foreign"),
    ],
    # -- catalog -----------------------------------------------------------------------------------------------------
    "catalog:list": [get(logged_in())],
    "catalog:export": [get(logged_in())],
    "catalog:import": [get(logged_in(DENY)), post(logged_in(DENY, bureau=REDIRECT), label="no file")],
    "catalog:create": [get(logged_in(DENY, bureau=OK)),
                       post(logged_in(DENY, bureau=REDIRECT),
                            lambda w: item_form(w, code="Z99", name="新内容", new_cost="10", cost_from="2021-01-01"))],
    "catalog:edit": [
        get(logged_in(DENY, bureau=OK), lambda w: {"code": first_item(w.project).plan_item.item.code}),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: item_form(w, name="改名"),
             lambda w: {"code": first_item(w.project).plan_item.item.code}),
    ],
    # -- planning ------------------------------------------------------------------------------------------------------
    "planning:list": [get(logged_in(OK, **PLANNERS_ONLY))],
    "planning:board": [get(logged_in(OK, **PLANNERS_ONLY), lambda w: {"pk": w.programme.pk}),
                       get(logged_in(OK, **PLANNERS_ONLY), lambda w: {"pk": w.programme.pk}, query="?format=xlsx",
                           label="xlsx")],
    "planning:pin": [get(logged_in(METHOD), lambda w: {"pk": w.programme.pk}),
                     post(logged_in(DENY, bureau=REDIRECT), lambda w: {"assignment": w.assignment.pk, "pin": "2022"},
                          lambda w: {"pk": w.programme.pk})],
    "planning:scenario_new": [get(logged_in(DENY, bureau=OK), lambda w: {"pk": w.programme.pk}),
                              post(logged_in(DENY, bureau=REDIRECT), scenario_form, lambda w: {"pk": w.programme.pk})],
    "planning:compare": [get(logged_in(OK, **PLANNERS_ONLY), lambda w: {"pk": w.programme.pk})],
    "planning:scenario": [get(logged_in(OK, **PLANNERS_ONLY), lambda w: {"pk": w.scenario.pk})],
    "planning:adopt": [get(logged_in(METHOD), lambda w: {"pk": w.scenario.pk}),
                       post(logged_in(DENY, bureau=REDIRECT), kwargs=lambda w: {"pk": w.scenario.pk})],
    "planning:funding": [get(logged_in(DENY, bureau=OK),
                             lambda w: {"pk": w.programme.pk, "year": w.programme.years[0]})],
    "planning:rules": [get(logged_in(DENY, bureau=OK), lambda w: {"pk": w.programme.pk})],
    "planning:application": [get(logged_in(DENY, bureau=OK), lambda w: {"pk": w.programme.pk})],
    "planning:rerun": [get(logged_in(METHOD), lambda w: {"pk": w.scenario.pk}),
                       post(logged_in(DENY, bureau=REDIRECT), kwargs=lambda w: {"pk": w.scenario.pk})],
    "planning:community_plan": [get(logged_in(OK, contractor=DENY, committee=DENY), east),
                                get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    "planning:community_plan_action": [
        get(logged_in(METHOD), east),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), lambda w: {"action": "propose"}, east),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"action": "propose"}, west, label="foreign"),
    ],
    # -- construction ----------------------------------------------------------------------------------------------
    "works:list": [get(logged_in()), get(logged_in(), query="?format=xlsx", label="xlsx")],
    "works:dashboard": [get(logged_in())],
    "works:bulletin": [get(logged_in())],
    "works:dashboard_map": [get(logged_in())],
    "works:lagging": [get(logged_in())],
    "works:bulletin_docx": [get(logged_in())],
    "works:bulletin_xlsx": [get(logged_in())],
    # -- roll-up: the whole platform's bureau and leaders (and a province's or city's leader); nobody else --------
    "rollup:index": [get(logged_in(DENY, bureau=REDIRECT, leader=REDIRECT))],
    "rollup:area": [get(logged_in(DENY, bureau=OK, leader=OK), lambda w: {"code": "140800"}),
                    get(logged_in(DENY, bureau=OK, leader=OK), lambda w: {"code": "140802"}, label="district")],
    "rollup:area_export": [get(logged_in(DENY, bureau=OK, leader=OK), lambda w: {"code": "140800"})],
    "rollup:monthly": [get(logged_in(DENY, bureau=OK, leader=OK))],
    "rollup:monthly_export": [get(logged_in(DENY, bureau=OK, leader=OK), query="?month=2021-11"),
                              get(logged_in(DENY, bureau=BAD, leader=BAD), query="?month=2021-13", label="bad month")],
    "works:detail": [get(logged_in(OK, committee=DENY), lambda w: {"code": w.project.code}),
                     get(logged_in(OK, **FOREIGN_DENIED), lambda w: {"code": w.rival_project.code}, label="foreign")],
    "works:report": [
        get(logged_in(DENY, bureau=OK, contractor=OK), lambda w: {"code": w.project.code}),
        get(logged_in(DENY, bureau=OK), lambda w: {"code": w.rival_project.code}, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, contractor=REDIRECT),
             lambda w: {"date": (WORK_DAY + datetime.timedelta(days=1)).isoformat(),
                        f"qty_{first_item(w.project).pk}": "1", "stage": "during"},
             lambda w: {"code": w.project.code}),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: {"date": (WORK_DAY + datetime.timedelta(days=1)).isoformat(),
                        f"qty_{first_item(w.rival_project).pk}": "1", "stage": "during"},
             lambda w: {"code": w.rival_project.code}, label="foreign"),
    ],
    "works:correct": [
        get(logged_in(REDIRECT, committee=DENY), lambda w: {"code": w.project.code, "entry_id": w.entry.pk}),
        post(logged_in(DENY, bureau=REDIRECT, contractor=REDIRECT), lambda w: {"quantity": "-1", "reason": "多报"},
             lambda w: {"code": w.project.code, "entry_id": w.entry.pk}),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"quantity": "-1", "reason": "多报"},
             lambda w: {"code": w.rival_project.code, "entry_id": w.rival_entry.pk}, label="foreign"),
    ],
    "works:complete": [
        get(logged_in(REDIRECT, committee=DENY), lambda w: {"code": w.project.code}),
        post(logged_in(DENY, bureau=REDIRECT, contractor=REDIRECT), lambda w: {"date": WORK_DAY.isoformat()},
             lambda w: {"code": w.project.code}),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"date": WORK_DAY.isoformat()},
             lambda w: {"code": w.rival_project.code}, label="foreign"),
    ],
    "works:photo": [get(logged_in(OK, committee=DENY), lambda w: {"code": w.project.code, "photo_id": w.photo.pk}),
                    get(logged_in(DENY), lambda w: {"code": w.rival_project.code, "photo_id": w.photo.pk},
                        label="under another project")],
    "works:document": [get(logged_in(OK, **FOREIGN_DENIED),
                           lambda w: {"code": w.rival_project.code, "document_id": w.rival_document.pk})],
    "works:acceptance": [
        get(logged_in(DENY, bureau=OK), lambda w: {"code": w.project.code}),
        post(logged_in(DENY, bureau=(OK, REDIRECT)),
             lambda w: {"date": "2021-12-01", "participants": "住建局\n居民代表", "checks": []},
             lambda w: {"code": w.project.code}),
    ],
    "works:acceptance_correct": [
        get(logged_in(DENY, bureau=REDIRECT), lambda w: {"code": w.project.code}, label="not accepted yet"),
        get(logged_in(DENY, bureau=OK), lambda w: {"code": w.rival_project.code}),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: {"date": WORK_DAY.isoformat(), "participants": "住建局\n居民代表", "reason": "参加人员漏记"},
             lambda w: {"code": w.rival_project.code}),
    ],
    "works:acceptance_settings": [get(logged_in(DENY, bureau=OK)),
                                  post(logged_in(DENY, bureau=REDIRECT), lambda w: {f"min_{w.district.pk}": "80"})],
    # -- after acceptance: long-term management (the world's 西城 project is accepted, 东城's is not) ------------
    "aftercare:list": [get(logged_in(OK, **PLANNERS_ONLY)),
                       get(logged_in(OK, **PLANNERS_ONLY), query="?format=xlsx", label="xlsx")],
    "aftercare:settings": [
        get(logged_in(DENY, bureau=OK)),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"overdue_days": "60", "first_visit_months": "3",
                                                          "second_visit_months": "12", "visit_open_days": "30"}),
    ],
    "aftercare:community": [get(logged_in(OK, **PLANNERS_ONLY), east),
                            get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    "aftercare:new": [get(logged_in(DENY, bureau=OK, officer=OK), east),
                      # 东城's P3 was accepted in 2020 (the defects' world), so its arrangement is recorded.
                      post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), arrangement_form, east,
                           label="accepted (P3)"),
                      post(logged_in(DENY, bureau=REDIRECT), arrangement_form, west, label="foreign")],
    "aftercare:edit": [get(logged_in(DENY, bureau=OK), west_arrangement, label="foreign"),
                       post(logged_in(DENY, bureau=REDIRECT), arrangement_form, west_arrangement, label="foreign")],
    "aftercare:agreement": [get(logged_in(OK, **FOREIGN_DENIED), west_arrangement, label="foreign")],
    "management-arrangement-list": [get(api())],
    "management-arrangement-detail": [get(api(OK, **FOREIGN_DENIED), lambda w: {"pk": west_arrangement(w)["pk"]},
                                          label="foreign")],
    # -- votes -----------------------------------------------------------------------------------------------------
    "votes:list": [get(logged_in(OK, contractor=DENY)),
                   get(logged_in(OK, contractor=DENY), query="?format=xlsx", label="xlsx")],
    "votes:create": [get(logged_in(DENY, bureau=OK, officer=OK)),
                     post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), lambda w: vote_form(w.east)),
                     post(logged_in(DENY, bureau=REDIRECT, officer=OK), lambda w: vote_form(w.west),
                          label="foreign (refused by the form)")],
    "votes:detail": [get(logged_in(OK, contractor=DENY), lambda w: {"vote_id": w.vote.pk}),
                     get(logged_in(OK, **FOREIGN_DENIED), lambda w: {"vote_id": w.west_vote.pk}, label="foreign")],
    "votes:live": [get(logged_in(OK, contractor=DENY), lambda w: {"vote_id": w.vote.pk}),
                   get(logged_in(OK, **FOREIGN_DENIED), lambda w: {"vote_id": w.west_vote.pk}, label="foreign")],
    "votes:paper": [
        get(logged_in(DENY, bureau=OK, committee=OK), lambda w: {"vote_id": w.vote.pk}),
        get(logged_in(DENY, bureau=OK), lambda w: {"vote_id": w.west_vote.pk}, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, committee=REDIRECT),
             lambda w: {"household": w.neighbour.pk, "choice": "yes"}, lambda w: {"vote_id": w.vote.pk}),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: {"household": w.west_household.pk, "choice": "yes"}, lambda w: {"vote_id": w.west_vote.pk},
             label="foreign"),
    ],
    "votes:extend": [
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: {"closes_at": "2031-01-01T10:00", "reason": "春节后再截止"}, lambda w: {"vote_id": w.vote.pk}),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"closes_at": "2031-01-01T10:00", "reason": "x"},
             lambda w: {"vote_id": w.west_vote.pk}, label="foreign"),
    ],
    "votes:recount": [
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), lambda w: {"reason": "业主有异议"},
             lambda w: {"vote_id": w.vote.pk}),
    ],
    "votes:resident_list": [get(household(), east), get(household(ENTRY), west, label="foreign")],
    "votes:resident_vote": [
        get(household(), lambda w: {"code": w.east.code, "vote_id": w.vote.pk}),
        get(household(DENY), lambda w: {"code": w.east.code, "vote_id": w.west_vote.pk}, label="foreign vote"),
        post(household(REDIRECT), lambda w: {"choice": "yes"}, lambda w: {"code": w.east.code, "vote_id": w.vote.pk}),
        post(household(DENY), lambda w: {"choice": "yes"},
             lambda w: {"code": w.east.code, "vote_id": w.west_vote.pk}, label="foreign vote"),
    ],
    "votes:resident_turnout": [
        get(household(), lambda w: {"code": w.east.code, "vote_id": w.vote.pk}),
        get(household(DENY), lambda w: {"code": w.east.code, "vote_id": w.west_vote.pk}, label="foreign vote"),
    ],
    # -- residents: staff ------------------------------------------------------------------------------------------
    "households:manage_index": [get(logged_in(OK, contractor=DENY))],
    "households:households_template": [get(logged_in())],
    "surveys:satisfaction": [get(logged_in(OK, committee=DENY))],
    "households:manage": [get(logged_in(OK, contractor=DENY), east),
                         get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    "households:reveal": [
        post(logged_in(DENY, bureau=OK, committee=OK), lambda w: {"household": w.household.pk, "reason": "核对产权人"},
             lambda w: {"code": w.east.code}),
    ],
    "households:households_export": [get(logged_in(OK, contractor=DENY), east),
                                    get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    "households:households_import": [
        get(logged_in(DENY, bureau=OK, officer=OK), east),
        get(logged_in(DENY, bureau=OK), west, label="foreign"),
        post(logged_in(DENY, bureau=OK, officer=OK), lambda w: {"dry_run": "on"}, east, label="no file"),
    ],
    "households:committee": [
        get(logged_in(OK, contractor=DENY), east),
        get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: {"action": "add", "committee": w.committee.pk, "member-username": "xinweiyuan",
                        "member-role": "member", "member-password": "Kangjie-2021-new"}, east),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: {"action": "add", "committee": w.west_committee.pk, "member-username": "xinweiyuan",
                        "member-role": "member", "member-password": "Kangjie-2021-new"}, west, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: {"action": "remove", "member": w.committee_member.pk}, east, label="remove"),
    ],
    "households:codes": [
        get(logged_in(DENY, bureau=OK, officer=OK, committee=OK), east),
        get(logged_in(DENY, bureau=OK), west, label="foreign"),
        post(logged_in(DENY, bureau=OK, officer=OK, committee=OK),
             lambda w: {"building": w.household.building_id}, east),
        post(logged_in(DENY, bureau=OK), lambda w: {"building": w.west_household.building_id}, west,
             label="foreign"),
    ],
    "surveys:survey_create": [
        get(logged_in(DENY, bureau=OK, officer=OK), east),
        get(logged_in(DENY, bureau=OK), west, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: {"kind": "needs", "title": "再问需", "opens_at": _in(0), "closes_at": _in(14)}, east),
    ],
    "surveys:survey": [
        get(logged_in(OK, contractor=DENY), lambda w: {"code": w.east.code, "survey_id": w.survey.pk}),
        get(logged_in(OK, **FOREIGN_DENIED), lambda w: {"code": w.west.code, "survey_id": w.west_survey.pk},
            label="foreign"),
        get(logged_in(DENY), lambda w: {"code": w.east.code, "survey_id": w.west_survey.pk},
            label="survey of another community"),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), lambda w: {"opens_at": _in(-1), "closes_at": _in(3)},
             lambda w: {"code": w.east.code, "survey_id": w.survey.pk}),
    ],
    "surveys:survey_paper": [
        get(logged_in(DENY, bureau=OK, officer=OK, committee=OK),
            lambda w: {"code": w.east.code, "survey_id": w.survey.pk}),
        get(logged_in(DENY, bureau=OK), lambda w: {"code": w.west.code, "survey_id": w.west_survey.pk},
            label="foreign"),
    ],
    # -- residents: phone ------------------------------------------------------------------------------------------
    "residents:entry": [
        get(everyone(OK, resident=REDIRECT), east),
        get(everyone(OK), west, label="another community"),
        post(everyone(BAD), lambda w: {"building": w.household.building_id, "unit": 1, "room": "101",
                                        "code": "000000"}, east, label="wrong code"),
    ],
    "residents:home": [get(household(), east), get(household(ENTRY), west, label="foreign")],
    "residents:leave": [get(everyone(METHOD), east), post(everyone(ENTRY), kwargs=east)],
    "surveys:survey_answer": [
        get(household(), lambda w: {"code": w.east.code, "survey_id": w.survey.pk}),
        get(household(DENY), lambda w: {"code": w.east.code, "survey_id": w.west_survey.pk}, label="foreign"),
        post(household(REDIRECT), lambda w: {"choice_1": first_item(w.project).plan_item.item.code},
             lambda w: {"code": w.east.code, "survey_id": w.survey.pk}),
    ],
    "households:qr": [get(logged_in(OK, contractor=DENY), east),
                     get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    "households:qr_svg": [get(logged_in(OK, contractor=DENY), east),
                         get(logged_in(OK, **FOREIGN_DENIED), west, label="foreign")],
    # -- feedback and notices --------------------------------------------------------------------------------------
    "feedback:list": [get(logged_in()), get(logged_in(), query="?format=xlsx", label="xlsx")],
    "feedback:detail": [
        get(logged_in(), lambda w: {"pk": w.feedback.pk}),
        get(logged_in(OK, **FOREIGN_DENIED), lambda w: {"pk": w.west_feedback.pk}, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, contractor=REDIRECT), lambda w: {"text": "明天修好"},
             lambda w: {"pk": w.feedback.pk}),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"text": "明天修好"}, lambda w: {"pk": w.west_feedback.pk},
             label="foreign"),
    ],
    "feedback:photo": [
        get(everyone(OK, anonymous=DENY, department=DENY), lambda w: {"pk": w.feedback.pk}),
        get(everyone(OK, anonymous=DENY, resident=DENY, department=DENY, **FOREIGN_DENIED),
            lambda w: {"pk": w.west_feedback.pk}, label="foreign"),
    ],
    "feedback:new": [
        get(household(), east),
        get(household(ENTRY), west, label="foreign"),
        post(household(REDIRECT), lambda w: {"category": "noise", "text": "夜里施工太吵"}, east),
    ],
    "feedback:mine": [get(household(), east), get(household(ENTRY), west, label="foreign")],
    "feedback:confirm": [
        get(everyone(METHOD), lambda w: {"code": w.east.code, "pk": w.feedback.pk}),
        post(household(REDIRECT), lambda w: {f"c{w.feedback.pk}-satisfied": "yes"},
             lambda w: {"code": w.east.code, "pk": w.feedback.pk}),
        post(household(DENY), lambda w: {f"c{w.neighbour_feedback.pk}-satisfied": "yes"},
             lambda w: {"code": w.east.code, "pk": w.neighbour_feedback.pk}, label="another household's item"),
    ],
    # -- defects (质量缺陷报修) -------------------------------------------------------------------------------------
    "defects:list": [get(logged_in()), get(logged_in(), query="?format=xlsx", label="xlsx")],
    "defects:detail": [
        get(logged_in(), lambda w: {"pk": w.defect.pk}),
        get(logged_in(OK, **FOREIGN_DENIED), lambda w: {"pk": w.west_defect.pk}, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT, contractor=REDIRECT), lambda w: {"action": "answer", "text": "已修复"},
             lambda w: {"pk": w.defect.pk}),
        post(logged_in(DENY, bureau=REDIRECT), lambda w: {"action": "answer", "text": "已修复"},
             lambda w: {"pk": w.west_defect.pk}, label="foreign"),
    ],
    "defects:photo": [
        get(everyone(OK, anonymous=DENY, department=DENY), lambda w: {"pk": w.defect_photo.pk}),
        get(everyone(OK, anonymous=DENY, resident=DENY, department=DENY, **FOREIGN_DENIED),
            lambda w: {"pk": w.west_defect_photo.pk}, label="foreign"),
    ],
    "defects:report": [
        get(logged_in(DENY, bureau=OK, officer=OK)),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: {"community": w.east.code, "item": w.defect_item.pk, "text": "屋面起鼓"}),
        post(logged_in(DENY, bureau=REDIRECT),
             lambda w: {"community": w.west.code, "item": first_item(w.rival_project).pk, "text": "屋面起鼓"},
             label="foreign"),
    ],
    "defects:settings": [get(logged_in(DENY, bureau=OK)),
                         post(logged_in(DENY, bureau=REDIRECT), lambda w: {"response_days": "5"})],
    "defects:new": [
        get(household(), east),
        get(household(ENTRY), west, label="foreign"),
        post(household(REDIRECT), lambda w: {"item": w.defect_item.pk, "text": "卫生间顶棚渗水"}, east),
    ],
    "defects:mine": [get(household(), east), get(household(ENTRY), west, label="foreign")],
    "defects:confirm": [
        get(everyone(METHOD), lambda w: {"code": w.east.code, "pk": w.answered_defect.pk}),
        post(household(REDIRECT), lambda w: {f"c{w.answered_defect.pk}-satisfied": "yes"},
             lambda w: {"code": w.east.code, "pk": w.answered_defect.pk}),
        post(household(DENY), lambda w: {f"c{w.neighbour_defect.pk}-satisfied": "yes"},
             lambda w: {"code": w.east.code, "pk": w.neighbour_defect.pk}, label="another household's defect"),
    ],
    "notices:list": [
        get(logged_in()),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT),
             lambda w: {"audience": f"community:{w.east.pk}", "title": "通知", "body": "明日停电。"}),
        post(logged_in(DENY, bureau=REDIRECT, officer=BAD),
             lambda w: {"audience": f"community:{w.west.pk}", "title": "通知", "body": "明日停电。"},
             label="foreign (refused by the form)"),
    ],
    "notices:end": [
        get(logged_in(METHOD), lambda w: {"pk": w.notice.pk}),
        post(logged_in(DENY, bureau=REDIRECT, officer=REDIRECT), kwargs=lambda w: {"pk": w.notice.pk}),
        post(logged_in(DENY, bureau=REDIRECT), kwargs=lambda w: {"pk": w.west_notice.pk}, label="foreign"),
        post(logged_in(DENY, bureau=REDIRECT), kwargs=lambda w: {"pk": w.district_notice.pk}, label="district"),
    ],
    "notices:resident_list": [get(everyone(OK), east), get(everyone(OK), west, label="another community")],
    # -- API -------------------------------------------------------------------------------------------------------
    "api-summary": [get(api())],
    "api-progress": [get(api())],
    "api-schema": [get(api(department=OK))],
    "api-docs": [get(api(department=OK))],
    "api-root": [get(api())],
    "community-list": [get(api())],
    "community-detail": [get(api(OK, contractor=DENY, committee=DENY), east),
                         get(api(OK, **FOREIGN_DENIED), west, label="foreign")],
    "area-list": [get(api())],
    "area-detail": [get(api(), lambda w: {"pk": w.dongcheng.pk})],
    "work-item-list": [get(api())],
    "work-item-detail": [get(api(), lambda w: {"code": first_item(w.project).plan_item.item.code})],
    "programme-list": [get(api())],
    "programme-detail": [get(api(), lambda w: {"pk": w.programme.pk})],
    "assignment-list": [get(api())],
    "assignment-detail": [get(api(OK, contractor=DENY, committee=DENY), lambda w: {"pk": w.assignment.pk}),
                          get(api(OK, **FOREIGN_DENIED), lambda w: {"pk": w.west_assignment.pk}, label="foreign")],
    "project-list": [get(api())],
    "project-detail": [get(api(OK, committee=DENY), lambda w: {"code": w.project.code}),
                       get(api(OK, **FOREIGN_DENIED), lambda w: {"code": w.rival_project.code}, label="foreign")],
    "project-report": [
        post(api(DENY, bureau=CREATED, contractor=CREATED),
             lambda w: {"date": (WORK_DAY + datetime.timedelta(days=1)).isoformat(),
                        "quantities": {str(first_item(w.project).pk): "1"}},
             lambda w: {"code": w.project.code}, as_json=True),
        post(api(DENY, bureau=CREATED),
             lambda w: {"date": (WORK_DAY + datetime.timedelta(days=1)).isoformat(),
                        "quantities": {str(first_item(w.rival_project).pk): "1"}},
             lambda w: {"code": w.rival_project.code}, as_json=True, label="foreign"),
    ],
    "api-votes": [get(api(OK, resident=OK))],
    "api-vote-result": [
        get(api(OK, contractor=DENY, resident=OK), lambda w: {"vote_id": w.vote.pk}),
        get(api(OK, **FOREIGN_DENIED), lambda w: {"vote_id": w.west_vote.pk}, label="foreign"),
    ],
    "api-vote-ballots": [
        post(api(DENY, bureau=CREATED, committee=CREATED, resident=CREATED),
             lambda w: {"household": w.household.pk, "choice": "yes"}, lambda w: {"vote_id": w.vote.pk},
             as_json=True, label="own household"),
        post(api(DENY, bureau=CREATED, committee=CREATED),
             lambda w: {"household": w.neighbour.pk, "choice": "no"}, lambda w: {"vote_id": w.vote.pk},
             as_json=True, label="another household"),
        post(api(DENY, bureau=CREATED),
             lambda w: {"household": w.west_household.pk, "choice": "no"}, lambda w: {"vote_id": w.west_vote.pk},
             as_json=True, label="foreign"),
    ],
    "api-surveys": [get(api(OK, contractor=DENY, resident=OK))],
    "api-survey-responses": [
        post(api(DENY, resident=CREATED), lambda w: {"answers": {"items": [first_item(w.project).plan_item.item.code]}},
             lambda w: {"survey_id": w.survey.pk}, as_json=True, label="own household"),
        post(api(DENY, bureau=CREATED, officer=CREATED, committee=CREATED),
             lambda w: {"household": w.neighbour.pk, "answers": {"items": [first_item(w.project).plan_item.item.code]}},
             lambda w: {"survey_id": w.survey.pk}, as_json=True, label="another household"),
        post(api(DENY, bureau=CREATED),
             lambda w: {"household": w.west_household.pk,
                        "answers": {"items": [first_item(w.project).plan_item.item.code]}},
             lambda w: {"survey_id": w.west_survey.pk}, as_json=True, label="foreign"),
    ],
    "api-survey-results": [
        get(api(OK, contractor=DENY, resident=OK), lambda w: {"survey_id": w.survey.pk}),
        get(api(OK, **FOREIGN_DENIED), lambda w: {"survey_id": w.west_survey.pk}, label="foreign"),
    ],
    "api-households": [get(api())],
    "api-feedback": [
        get(api(OK, resident=OK)),
        post(api(DENY, bureau=CREATED, officer=CREATED, committee=CREATED, resident=CREATED),
             lambda w: {"community": w.east.code, "category": "noise", "text": "夜里施工太吵"}, as_json=True),
        # A resident reports for their own community only: naming another is refused with a sentence (400).
        post(api(DENY, bureau=CREATED, resident=BAD),
             lambda w: {"community": w.west.code, "category": "noise", "text": "夜里施工太吵"}, as_json=True,
             label="foreign"),
    ],
    "api-feedback-answer": [
        post(api(DENY, bureau=OK, contractor=OK), lambda w: {"text": "明天修好"}, lambda w: {"pk": w.feedback.pk},
             as_json=True),
        post(api(DENY, bureau=OK), lambda w: {"text": "明天修好"}, lambda w: {"pk": w.west_feedback.pk},
             as_json=True, label="foreign"),
    ],
    "api-feedback-confirm": [
        post(api(DENY, resident=BAD), lambda w: {"satisfied": True}, lambda w: {"pk": w.feedback.pk}, as_json=True,
             label="own item, not answered yet"),
        post(api(DENY), lambda w: {"satisfied": True}, lambda w: {"pk": w.neighbour_feedback.pk}, as_json=True,
             label="another household's item"),
    ],
    "api-defects": [
        get(api(OK, resident=OK)),
        post(api(DENY, bureau=CREATED, officer=CREATED, resident=CREATED),
             lambda w: {"community": w.east.code, "project_item": w.defect_item.pk, "text": "屋面渗漏"}, as_json=True),
        # A resident reports in their own community only; an officer in their own sub-district (400 with a sentence).
        post(api(DENY, bureau=CREATED, officer=BAD, resident=BAD),
             lambda w: {"community": w.west.code, "project_item": first_item(w.rival_project).pk, "text": "屋面渗漏"},
             as_json=True, label="foreign"),
    ],
    "api-defect-items": [
        get(api(OK, resident=OK), query="?community=DC001"),
        get(api(DENY, bureau=OK, leader=OK), query="?community=XC001", label="foreign"),
    ],
    "api-defect-answer": [
        post(api(DENY, bureau=OK, contractor=OK), lambda w: {"text": "已修复"}, lambda w: {"pk": w.defect.pk},
             as_json=True),
        post(api(DENY, bureau=OK), lambda w: {"text": "已修复"}, lambda w: {"pk": w.west_defect.pk}, as_json=True,
             label="foreign"),
    ],
    "api-defect-confirm": [
        post(api(DENY, resident=OK), lambda w: {"satisfied": True}, lambda w: {"pk": w.answered_defect.pk},
             as_json=True),
        post(api(DENY, resident=BAD), lambda w: {"satisfied": True}, lambda w: {"pk": w.defect.pk}, as_json=True,
             label="own defect, not answered yet"),
        post(api(DENY), lambda w: {"satisfied": True}, lambda w: {"pk": w.neighbour_defect.pk}, as_json=True,
             label="another household's defect"),
    ],
    "api-notices": [get(api(OK, resident=BAD, anonymous=BAD)),
                    get(everyone(OK, department=DENY), query="?community=DC001", label="a community's")],
    # -- the joint meeting (gaizao.coordination): the water company's own item and work are in 东城, the power
    # company's in 西城; a department sees its own, an officer their sub-district's, the bureau records ----------
    **COORDINATION,
}


# ---- rules for the routes grouped together -----------------------------------------------------------------------

PUBLIC_API = {"api-schema", "api-docs"}
_KNOWN_INTS = {"vote_id": "vote", "survey_id": "survey", "building_id": "household"}


def _fill_unknown(w, kwargs: dict[str, str]) -> dict:
    """Path parameters of a route this file does not know: the 东城 objects where the name says which."""
    filled = {}
    for name, converter in kwargs.items():
        if name == "format":
            filled[name] = "json"
        elif name in _KNOWN_INTS:
            filled[name] = getattr(w, _KNOWN_INTS[name]).pk
        elif converter == "int":
            filled[name] = 1
        elif converter == "uuid":
            filled[name] = uuid.uuid4()
        else:
            filled[name] = w.east.code
    return filled


def _admin_kwargs(pattern: str, kwargs: dict[str, str]):
    def fill(w):
        from django.contrib.contenttypes.models import ContentType

        filled = {}
        for name in kwargs:
            if name == "app_label":
                filled[name] = re.search(r"\(\?P<app_label>([a-z_]+)", pattern).group(1)
            elif name == "url":
                filled[name] = "nothing-here/"
            elif name == "content_type_id":
                filled[name] = ContentType.objects.get_for_model(w.east).pk
            else:  # object_id, id
                filled[name] = str(w.bureau.pk)
        return filled

    return fill


ADMIN_RULE = "admin: only bureau staff get past the admin's login"


def rule_for(key: str, pattern: str, kwargs: dict[str, str]) -> list[Case] | None:
    """The cases of a route: its matrix entry, or the rule of its group; None when it has neither."""
    if key in MATRIX and "format" not in kwargs:
        return MATRIX[key]
    if key in MATRIX:  # DRF's format suffix (/api/communities.json): the same answers as the route itself
        return [Case(c.method, c.expect, _with_format(c.kwargs), c.data, c.query, c.json, c.label + " .json")
                for c in MATRIX[key] if c.method == "get"]
    if key.startswith("admin:") or pattern.startswith("admin/"):
        if key == "admin:login":
            expect = everyone(OK, bureau=REDIRECT)
        elif key == "admin:logout":
            expect = everyone(REDIRECT, bureau=METHOD)
        else:
            expect = everyone(ADMIN_LOGIN, bureau=(OK, REDIRECT, DENY))
        return [get(expect, _admin_kwargs(pattern, kwargs) if kwargs else None, label=ADMIN_RULE)]
    if pattern.startswith("api/"):
        # A route added to the API without an entry here: no answer without an account, no crash with one.
        fill = (lambda w: _fill_unknown(w, kwargs)) if kwargs else None
        return [get(api((OK, CREATED, REDIRECT, DENY, METHOD, BAD)), fill, label="API rule"),
                post(api((OK, CREATED, REDIRECT, DENY, METHOD, BAD), resident=(DENY, METHOD),
                         anonymous=(DENY, METHOD)), lambda w: {}, fill, as_json=True, label="API rule")]
    return None


def _with_format(kwargs):
    return lambda w: {**(kwargs(w) if kwargs else {}), "format": "json"}


# ---- the resolver -------------------------------------------------------------------------------------------------

_CONVERTERS = {"IntConverter": "int", "UUIDConverter": "uuid", "StringConverter": "str", "PathConverter": "path",
               "SlugConverter": "slug"}


def routes(patterns=None, prefix="", namespace=None, converters=None):
    """(name with namespace, pattern, {parameter: converter}) of every URL pattern."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        found = {**(converters or {}), **{name: _CONVERTERS.get(type(conv).__name__, "str")
                                          for name, conv in getattr(entry.pattern, "converters", {}).items()}}
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from routes(entry.url_patterns, prefix + str(entry.pattern).lstrip("^"), inner, found)
        elif isinstance(entry, URLPattern):
            params = {name: found.get(name, "str") for name in entry.pattern.regex.groupindex}
            params.update({n: c for n, c in found.items() if n not in params})
            name = ":".join(n for n in (namespace, entry.name) if n) if entry.name else None
            yield name, prefix + str(entry.pattern).lstrip("^"), params


def all_cases() -> list[Case]:
    cases = []
    for key, pattern, kwargs in routes():
        for case in rule_for(key or "", pattern, kwargs) or []:
            case.route, case.pattern = key, pattern
            cases.append(case)
    return cases


def test_every_route_is_in_the_matrix():
    found = list(routes())
    missing = sorted(f"{key or 'unnamed'} ({pattern})" for key, pattern, kwargs in found
                     if rule_for(key or "", pattern, kwargs) is None)
    assert not missing, ("These pages have no entry in the permission matrix; add them to MATRIX in "
                         f"tests/security/test_permission_matrix.py: {missing}")
    stale = sorted(set(MATRIX) - {key for key, _pattern, _kwargs in found})
    assert not stale, f"The matrix lists routes that no longer exist: {stale}"


# ---- running it --------------------------------------------------------------------------------------------------

def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        target = response.url.split("?")[0]
        if target == resolve_url(settings.LOGIN_URL):
            return LOGIN
        if target == reverse("admin:login"):
            return ADMIN_LOGIN
        if re.fullmatch(r"/r/(?!manage/)[^/]+/", target):
            return ENTRY
        return REDIRECT
    return {200: OK, 204: OK, 201: CREATED, 400: BAD, 401: DENY, 403: DENY, 404: DENY, 405: METHOD}.get(
        status, str(status))


def request(world, persona: str, case: Case):
    """The case's request by this persona, in a savepoint rolled back at once.

    Returns (outcome, status, detail, names from outside the persona's scope that the answer shows)."""
    client = client_for(world, persona)
    url = case.url(world)
    with transaction.atomic():
        try:
            if case.method == "get":
                response = client.get(url)
            elif case.json:
                response = client.post(url, json.dumps(case.data(world) if case.data else {}),
                                       content_type="application/json")
            else:
                response = client.post(url, case.data(world) if case.data else {})
        except Exception as error:  # noqa: BLE001 - a crash is an outcome the matrix reports
            transaction.set_rollback(True)
            return "error", 500, f"{url}: {type(error).__name__}: {error}", []
        transaction.set_rollback(True)
    if response.streaming:
        # Read to the end: the test client then closes the file (calling close() again here would signal the
        # end of a request once more, and Django would close the database connection of the test).
        b"".join(response.streaming_content)
        names = []
    else:
        names = leaked(world, persona, case, response)
    cache.clear()  # wrong-code counters and the like must not carry over
    detail = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return outcome(response), response.status_code, f"{url} {detail}".strip(), names


def _allowed(expected) -> tuple:
    return expected if isinstance(expected, tuple) else (expected,)


# Those who work in 东城 only: what they are shown must not name 西城's community, its project or its people.
SCOPED = ("officer", "contractor", "committee", "resident", "department")


def foreign_names(world) -> list[str]:
    return [world.west.name, world.west.code, world.rival_project.name, world.west_household_owner]


def leaked(world, persona, case, response) -> list[str]:
    if persona not in SCOPED or case.label or response.status_code != 200:
        return []  # labelled cases are the foreign and special ones
    kind = response.get("Content-Type", "")
    if not kind.startswith(("text/html", "application/json")):
        return []
    body = response.content.decode()
    return [name for name in foreign_names(world) if name in body]


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(world, db, persona):
    problems = []
    for case in all_cases():
        expected = _allowed(case.expect[persona])
        actual, status, detail, names = request(world, persona, case)
        where = f"{case.method.upper()} {case.route}{' [' + case.label + ']' if case.label else ''}"
        if actual not in expected:
            problems.append(f"{where}: expected {'/'.join(expected)}, got {actual} ({status}) at {detail}")
        if names:
            problems.append(f"{where}: shows {names}, which are outside {persona}'s scope, at {detail}")
    assert not problems, f"{persona}: {len(problems)} cases differ:\n" + "\n".join(problems)


def test_the_matrix_is_not_empty():
    cases = all_cases()
    assert len({c.route for c in cases}) > 100
    assert all(set(c.expect) == set(PERSONAS) for c in cases)


@pytest.mark.parametrize("route, kwargs", [
    ("planning:compare", lambda w: {"pk": w.programme.pk}),
    ("communities:list", None),
    ("works:bulletin", None),
    ("feedback:list", None),
    ("community-list", None),
])
def test_bureau_sees_what_the_scope_check_looks_for(world, db, route, kwargs):
    """The scope check above is not idle: these pages do name 西城's community, to the bureau."""
    response = client_for(world, "bureau").get(reverse(route, kwargs=kwargs(world) if kwargs else None))
    assert response.status_code == 200
    assert world.west.name in response.content.decode()


def test_a_community_with_plans_and_projects_is_kept(world, db):
    """Deleting it once answered 500 (its plans protect it); now the page says why and nothing is deleted."""
    from gaizao.communities.models import Community
    from gaizao.core.models import AuditEntry

    response = client_for(world, "bureau").post(reverse("communities:delete", args=[world.east.code]), follow=True,
                                                headers={"accept-language": "en"})
    assert response.redirect_chain[-1][0] == reverse("communities:detail", args=[world.east.code])
    assert "has plans or projects and cannot be deleted." in response.content.decode()
    assert Community.objects.filter(pk=world.east.pk).exists()
    assert not AuditEntry.objects.filter(action="delete", object_type="communities.community").exists()
