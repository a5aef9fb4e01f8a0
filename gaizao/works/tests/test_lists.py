"""The project list (paged, filtered, searched, sorted, exported), the dashboard map's JSON and the bulletin's
capped list of lagging projects."""

import datetime
import gzip
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_community
from gaizao.works.models import Company, Milestone, Project
from gaizao.works.services import record_progress
from gaizao.works.tests.conftest import make_project
from gaizao.works.views import PAGE_SIZE
from gaizao.works.views_reports import LAGGING_PAGE_SIZE, LAGGING_SHOWN

DAY = datetime.date(2021, 11, 25)


def bare_project(code, community, contractor, **extra):
    """A project without items (enough for lists and the not-started lag), quick to make by the dozen."""
    project = Project.objects.create(code=code, name=f"{community.name}改造{code}", contractor=contractor,
                                     planned_start=datetime.date(2021, 5, 1),
                                     planned_finish=datetime.date(2022, 1, 31), **extra)
    project.communities.add(community)
    return project


@pytest.fixture
def many(dongcheng, xicheng, builder, rival):
    """60 projects: the even ones in 东城 by 中建, the odd ones in 西城 by 二建; every third one under way."""
    east = make_community(dongcheng, "DC001", "康杰中学家属院", latitude=Decimal("35.026"),
                          longitude=Decimal("111.007"))
    west = make_community(xicheng, "XC001", "棉麻家属院", latitude=Decimal("35.02"), longitude=Decimal("110.99"))
    for n in range(60):
        under_way = n % 3 == 0
        bare_project(f"P{n:03d}", east if n % 2 == 0 else west, builder if n % 2 == 0 else rival,
                     status=Project.Status.UNDER_CONSTRUCTION if under_way else Project.Status.NOT_STARTED,
                     actual_start=datetime.date(2021, 6, 1) + datetime.timedelta(days=n) if under_way else None)
    return {"east": east, "west": west}


def codes(page) -> list[str]:
    return [p.code for p in page.context["page"]]


def test_the_list_is_paged(many, client, bureau):
    client.force_login(bureau)
    first = client.get(reverse("works:list"))
    assert first.status_code == 200 and first.context["total"] == 60
    assert codes(first) == [f"P{n:03d}" for n in range(PAGE_SIZE)]
    html = first.content.decode()
    assert html.count("<tr") == PAGE_SIZE + 1 and 'id="pager"' in html and "?page=2" in html
    second = client.get(reverse("works:list"), {"page": 2})
    assert codes(second) == [f"P{n:03d}" for n in range(PAGE_SIZE, 60)]
    assert codes(client.get(reverse("works:list"), {"page": "999"})) == codes(second)  # past the end: the last
    assert codes(client.get(reverse("works:list"), {"page": "x"})) == codes(first)


def test_the_list_filters_searches_and_sorts(many, client, bureau, builder, rival, xicheng):
    client.force_login(bureau)
    east_only = client.get(reverse("works:list"), {"subdistrict": many["east"].subdistrict_id})
    assert east_only.context["total"] == 30 and all(int(c[1:]) % 2 == 0 for c in codes(east_only))
    assert client.get(reverse("works:list"), {"subdistrict": xicheng.pk}).context["total"] == 30
    under_way = client.get(reverse("works:list"), {"status": "under_construction"})
    assert codes(under_way) == [f"P{n:03d}" for n in range(0, 60, 3)]
    by_rival = client.get(reverse("works:list"), {"contractor": rival.pk, "status": "under_construction"})
    assert codes(by_rival) == [f"P{n:03d}" for n in range(3, 60, 6)]
    assert codes(client.get(reverse("works:list"), {"q": "p05"})) == [f"P05{n}" for n in range(10)]
    assert client.get(reverse("works:list"), {"q": "棉麻"}).context["total"] == 30  # by community name too
    newest = client.get(reverse("works:list"), {"sort": "-start", "status": "under_construction"})
    assert codes(newest)[:2] == ["P057", "P054"]
    html = newest.content.decode()
    # Sorting and paging keep the filters; the export link takes them all but the page.
    assert "status=under_construction" in html.split('id="export-xlsx"')[1].split(">")[0]
    # A value the form refuses is left out rather than hiding everything.
    assert client.get(reverse("works:list"), {"contractor": "999999"}).context["total"] == 60
    assert client.get(reverse("works:list"), {"status": "nonsense"}).context["total"] == 60


def test_the_choices_are_what_the_user_sees(many, client, officer, contractor, builder, rival):
    client.force_login(officer)
    page = client.get(reverse("works:list"))
    assert page.context["total"] == 30
    form = page.context["filter"].form
    assert [a.name for a in form.fields["subdistrict"].queryset] == ["东城办事处"]
    assert list(form.fields["contractor"].queryset) == [builder]
    client.force_login(contractor)
    assert [c.name for c in client.get(reverse("works:list")).context["filter"].form.fields["contractor"].queryset] \
        == [builder.name]


def test_a_contractor_sees_only_their_companys_projects(many, client, contractor, rival):
    client.force_login(contractor)
    page = client.get(reverse("works:list"))
    assert page.context["total"] == 30 and all(int(c[1:]) % 2 == 0 for c in codes(page))
    # Asking for the rival company's projects shows nothing of theirs.
    assert all(int(c[1:]) % 2 == 0 for c in codes(client.get(reverse("works:list"), {"contractor": rival.pk})))
    workbook = load_workbook(io.BytesIO(client.get(reverse("works:list"), {"format": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 30 and {r[3] for r in rows} == {"中建交通建设集团"}


def test_the_export_has_every_filtered_row_not_only_the_page(many, client, bureau):
    client.force_login(bureau)
    response = client.get(reverse("works:list"), {"format": "xlsx", "page": 1, "sort": "-code"})
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[2] in ("办事处", "Sub-district") and len(header) == 10
    assert len(rows) == 60 and rows[0][0] == "P059" and rows[-1][0] == "P000"
    assert rows[0][2] == "西城办事处"
    filtered = client.get(reverse("works:list"), {"format": "xlsx", "status": "under_construction",
                                                  "subdistrict": many["east"].subdistrict_id})
    rows = list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [f"P{n:03d}" for n in range(0, 60, 6)]


def test_the_list_shows_the_share_done(east_community, builder, bureau, client):
    project = make_project("P1", east_community, builder)
    item = project.items.order_by("pk").first()
    record_progress(bureau, project, datetime.date.today(), {item.pk: item.plan_item.quantity})
    client.force_login(bureau)
    page = client.get(reverse("works:list"))
    share = page.context["shares"][project.pk]["share"]
    assert 0 < share <= 1 and page.context["shares"][project.pk]["subdistrict"] == "东城办事处"


# ---- the dashboard's map --------------------------------------------------------------------------------------

@pytest.fixture
def mapped(dongcheng, xicheng, builder, rival):
    east = make_community(dongcheng, "DC001", "康杰中学家属院", latitude=Decimal("35.026"),
                          longitude=Decimal("111.007"))
    west = make_community(xicheng, "XC001", "棉麻家属院", latitude=Decimal("35.02"), longitude=Decimal("110.99"))
    nowhere = make_community(dongcheng, "DC009", "无坐标小区")
    ours = bare_project("P1", east, builder, actual_start=datetime.date(2021, 6, 1),
                        status=Project.Status.UNDER_CONSTRUCTION)
    ours.communities.add(nowhere)
    bare_project("P2", west, rival)
    return {"east": east, "west": west}


def test_the_map_json_has_the_points_and_little_else(mapped, client, bureau):
    client.force_login(bureau)
    response = client.get(reverse("works:dashboard_map"), {"date": "2021-11-25"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["day"] == "2021-11-25"
    assert data["points"] == [
        {"code": "DC001", "name": "康杰中学家属院", "lat": 35.026, "lon": 111.007, "state": "under_construction",
         "share": 0.0, "link": True},
        {"code": "XC001", "name": "棉麻家属院", "lat": 35.02, "lon": 110.99, "state": "not_started", "share": 0.0,
         "link": True},
    ]
    assert "康杰中学家属院".encode() in response.content  # not \\u-escaped: a third of the bytes
    packed = client.get(reverse("works:dashboard_map"), {"date": "2021-11-25"}, HTTP_ACCEPT_ENCODING="gzip")
    # Compressed where that makes it smaller (a province's points: 400 KB → 55 KB); two points may not shrink.
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content) if packed.get("Content-Encoding") == "gzip" else packed.content
    assert json.loads(body) == data
    # Before the project started, its community had not started either.
    early = client.get(reverse("works:dashboard_map"), {"date": "2021-05-01"}).json()["points"]
    assert [p["state"] for p in early] == ["not_started", "not_started"]
    assert client.get(reverse("works:dashboard_map"), {"date": "soon"}).status_code == 400


def test_a_contractor_gets_only_their_projects_points(mapped, client, contractor, rival_user):
    client.force_login(contractor)
    assert [p["code"] for p in client.get(reverse("works:dashboard_map")).json()["points"]] == ["DC001"]
    client.force_login(rival_user)
    assert [p["code"] for p in client.get(reverse("works:dashboard_map")).json()["points"]] == ["XC001"]


def test_an_officer_gets_only_their_subdistricts_points(mapped, client, officer):
    client.force_login(officer)
    points = client.get(reverse("works:dashboard_map"), {"date": "2021-11-25"}).json()["points"]
    assert [(p["code"], p["link"]) for p in points] == [("DC001", True)]


def test_the_dashboard_page_carries_no_points(mapped, client, bureau):
    client.force_login(bureau)
    html = client.get(reverse("works:dashboard"), {"date": "2021-11-25"}).content.decode()
    assert "康杰中学家属院" not in html and "111.007" not in html
    assert 'data-url="/works/dashboard/map.json?date=2021-11-25"' in html and 'id="dashboard-map"' in html
    assert "<script>" not in html.split("<body", 1)[1].replace("<script src=", "")


def test_the_dashboard_charts_the_first_subdistricts_and_links_to_the_ranking(district, client, bureau, builder,
                                                                              monkeypatch):
    from gaizao.regions.models import Area
    from gaizao.works import views_reports

    monkeypatch.setattr(views_reports, "SUBDISTRICTS_CHARTED", 3)
    for n in range(5):
        sub = Area.objects.create(name=f"第{n}办事处", code=f"1408020{n:02d}", level=Area.Level.SUBDISTRICT,
                                  parent=district)
        bare_project(f"P{n}", make_community(sub, f"S{n}", f"小区{n}"), builder)
    client.force_login(bureau)
    page = client.get(reverse("works:dashboard"), {"date": "2021-11-25"})
    assert len(page.context["charts"]["subdistricts"]["labels"]) == 3
    html = page.content.decode()
    assert 'id="subdistricts-more"' in html and "/works/bulletin/?date=2021-11-25#ranking" in html
    bulletin = client.get(reverse("works:bulletin"), {"date": "2021-11-25"})
    assert len(bulletin.context["data"]["subdistricts"]) == 5  # the bulletin's ranking stays whole


# ---- the bulletin's lagging projects ---------------------------------------------------------------------------

@pytest.fixture
def lagging(many, district):
    Milestone.objects.create(area=district, date=datetime.date(2021, 12, 31), target_share=Decimal("0.8"),
                             name="年底完成80%")
    return 40  # the 40 projects not started (none has items, so none is behind a milestone)


def test_the_bulletin_shows_the_first_lagging_projects_and_links_to_all(lagging, client, bureau):
    client.force_login(bureau)
    page = client.get(reverse("works:bulletin"), {"date": "2021-11-25"})
    assert page.context["lagging_total"] == lagging and len(page.context["lagging"]) == LAGGING_SHOWN
    html = page.content.decode()
    table = html.split('id="lagging"')[1].split("</table>")[0]
    assert table.count("<tr") == LAGGING_SHOWN + 1
    assert 'id="lagging-all"' in html and "/works/bulletin/lagging/?date=2021-11-25" in html
    assert re.search(rf">{lagging}\D", html.split('id="lagging-count"')[1][:40])
    # The ranking of sub-districts stays whole.
    assert html.split('id="ranking"')[1].split("</table>")[0].count("<tr") == 3
    # The downloads keep every lagging project.
    workbook = load_workbook(io.BytesIO(client.get(reverse("works:bulletin_xlsx"), {"date": "2021-11-25"}).content))
    lagging_sheet = workbook.worksheets[2]
    assert lagging_sheet.max_row - 1 == lagging
    from docx import Document

    document = Document(io.BytesIO(client.get(reverse("works:bulletin_docx"), {"date": "2021-11-25"}).content))
    assert len(document.tables[1].rows) - 1 == lagging


def test_the_full_lagging_list_is_paged(lagging, client, bureau):
    client.force_login(bureau)
    first = client.get(reverse("works:lagging"), {"date": "2021-11-25"})
    assert first.status_code == 200 and first.context["page"].paginator.count == lagging
    assert len(first.context["page"]) == min(lagging, LAGGING_PAGE_SIZE)
    expected = [p["code"] for p in first.context["data"]["lagging"]]
    shown = [p["code"] for p in first.context["page"]]
    if lagging > LAGGING_PAGE_SIZE:
        shown += [p["code"] for p in client.get(reverse("works:lagging"), {"date": "2021-11-25", "page": 2})
                  .context["page"]]
    assert shown == expected
    assert client.get(reverse("works:lagging"), {"date": "soon"}).status_code == 400


def test_a_short_lagging_list_has_no_link(many, client, officer, bureau):
    client.force_login(bureau)
    Project.objects.filter(actual_start__isnull=True).exclude(code__in=["P001", "P002"]).delete()
    html = client.get(reverse("works:bulletin"), {"date": "2021-11-25"}).content.decode()
    assert 'id="lagging-all"' not in html and html.split('id="lagging"')[1].split("</table>")[0].count("<tr") == 3


def test_the_lagging_list_is_scoped(lagging, client, contractor, builder):
    client.force_login(contractor)
    page = client.get(reverse("works:lagging"), {"date": "2021-11-25"})
    assert page.context["page"].paginator.count == 20
    assert {p["contractor"] for p in page.context["data"]["lagging"]} == {builder.name}
    assert Company.objects.count() == 2
