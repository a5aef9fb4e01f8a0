"""The progress bulletin and the leaders' dashboard: a small district of three projects in November 2021.

东城 has 康杰中学家属院 (well ahead) and 电业局家属院 (not started); 西城 has 棉麻家属院, started but slow.
"""

import datetime
import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from conftest import make_community
from gaizao.catalog.models import WorkItem
from gaizao.core import clock
from gaizao.planning import plans
from gaizao.works import bulletin, bulletin_excel, bulletin_word
from gaizao.works.models import Company, Milestone, Project, ProjectItem
from gaizao.works.services import record_progress

DAY = datetime.date(2021, 11, 25)
FORMULA = '=HYPERLINK("http://example.com","点我")'
WINDOWS, INSULATION = "塑钢窗更换", "外墙保温"


def _plan(actor, community, quantities):
    """An approved plan with only these items (name → quantity)."""
    plan = plans.propose_plan(actor, community, cost_date=datetime.date(2021, 3, 1))
    wanted = {WorkItem.objects.get(name=name).pk: Decimal(q) for name, q in quantities.items()}
    plans.update_plan(actor, plan, quantities={i.item_id: wanted.get(i.item_id) for i in plan.items.all()})
    plans.update_plan(actor, plan, quantities={}, funding={"central_subsidy": plans.totals(plan)["total"]})
    plans.publish(actor, plan)
    plans.approve(actor, plan)
    return plan


def _project(code, name, community, contractor, plan):
    project = Project.objects.create(code=code, name=name, contractor=contractor,
                                     planned_start=datetime.date(2021, 8, 1),
                                     planned_finish=datetime.date(2021, 12, 31))
    project.communities.add(community)
    for plan_item in plan.items.all():
        ProjectItem.objects.create(project=project, plan_item=plan_item)
    return project


def _report(actor, project, day, quantities):
    items = {i.plan_item.item.name: i.pk for i in project.items.select_related("plan_item__item")}
    record_progress(actor, project, day, {items[name]: Decimal(q) for name, q in quantities.items()})


@pytest.fixture
def works(district, dongcheng, xicheng, bureau):
    zhongjian = Company.objects.create(name="中建交通建设集团", kind=Company.Kind.CONTRACTOR)
    second = Company.objects.create(name="<b>运城二建</b>", kind=Company.Kind.CONTRACTOR)
    kangjie = make_community(dongcheng, "DC001", "康杰中学家属院", latitude=Decimal("35.026"),
                             longitude=Decimal("111.007"))
    dianye = make_community(dongcheng, "DC002", "电业局家属院", latitude=Decimal("35.03"),
                            longitude=Decimal("111.01"))
    mianma = make_community(xicheng, "XC001", "棉麻家属院", latitude=Decimal("35.02"), longitude=Decimal("110.99"))
    # Windows 4,500 yuan a household, insulation 180 yuan/m² (the shipped catalog's costs).
    kangjie_plan = _plan(bureau, kangjie, {WINDOWS: 72, INSULATION: 20000})
    p1 = _project("P1", "康杰中学家属院改造", kangjie, zhongjian, kangjie_plan)
    p2 = _project("P2", "电业局家属院改造", dianye, second, _plan(bureau, dianye, {WINDOWS: 48, INSULATION: 3000}))
    p3 = _project("P3", FORMULA, mianma, zhongjian, _plan(bureau, mianma, {WINDOWS: 48, INSULATION: 4000}))
    _report(bureau, p1, datetime.date(2021, 10, 20), {WINDOWS: 36, INSULATION: 2000})
    _report(bureau, p1, datetime.date(2021, 11, 20), {WINDOWS: 36, INSULATION: 10300})
    _report(bureau, p3, datetime.date(2021, 11, 1), {WINDOWS: 10, INSULATION: 500})
    Milestone.objects.create(area=district, date=datetime.date(2021, 12, 31), target_share=Decimal("0.8"),
                             name="年底完成80%")
    return {"p1": p1, "p2": p2, "p3": p3}


def _data(projects=None):
    projects = Project.objects.all() if projects is None else projects
    return bulletin.bulletin_data(DAY, projects, bulletin.district_milestone(DAY))


def test_subdistricts_rank_by_value_done_and_by_start_rate(works):
    data = _data()
    ranking = [(s["rank"], s["name"], round(s["share"], 3)) for s in data["subdistricts"]]
    # 东城: 2,538,000 of 4,680,000 yuan; 西城: 135,000 of 936,000.
    assert ranking == [(1, "东城办事处", 0.542), (2, "西城办事处", 0.144)]
    assert [(s["start_rank"], s["name"], s["started"], s["projects"]) for s in data["by_start_rate"]] == [
        (1, "西城办事处", 1, 1), (2, "东城办事处", 1, 2)]
    assert data["district"]["projects"] == 3 and data["district"]["started"] == 2
    assert data["milestone"]["date"] == datetime.date(2021, 12, 31)
    assert data["subdistricts"][1]["at_risk"] and not data["subdistricts"][0]["at_risk"]


def test_lagging_projects_are_the_unstarted_and_those_that_will_miss_the_milestone(works):
    lagging = _data()["lagging"]
    assert [(p["code"], p["contractor"], p["started"]) for p in lagging] == [
        ("P2", "<b>运城二建</b>", False), ("P3", "中建交通建设集团", True)]
    # P2 has done nothing: it is short the whole 80 % of its 756,000 yuan.
    assert lagging[0]["shortfall"] == Decimal("604800")
    # P3 did 135,000 yuan in the last four weeks: 36 more days at that pace reach 308,571 of the 748,800 needed.
    assert lagging[1]["shortfall"] == pytest.approx(Decimal("440228.57"), abs=Decimal("0.01"))


def test_without_a_milestone_only_unstarted_projects_lag(works):
    data = bulletin.bulletin_data(DAY, Project.objects.all())
    assert data["milestone"] is None and data["milestone_paragraph"] == ""
    assert [p["code"] for p in data["lagging"]] == ["P2"]


def test_item_totals_read_like_the_newspaper(works):
    data = _data()
    with translation.override("zh-hans"):
        texts = [i["text"] for i in _data()["items"]]
    assert "塑钢窗更换 82户" in texts and "外墙保温 1.28万平方米" in texts
    done = {i["name"]: i["done"] for i in data["items"]}
    assert done == {WINDOWS: 82, INSULATION: 12800}
    with translation.override("en"):
        texts = [i["text"] for i in _data()["items"]]
    assert "外墙保温 12,800 m²" in texts


def test_the_word_file_opens_and_ranks_the_subdistricts(works):
    from docx import Document

    document = Document(io.BytesIO(bulletin_word.bulletin_docx(_data())))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2021" in text and "外墙保温" in text
    ranking, lagging, items = document.tables
    rows = [[c.text for c in row.cells] for row in ranking.rows]
    assert [row[1] for row in rows[1:]] == ["东城办事处", "西城办事处"]
    assert rows[1][-1] == "█" * 11 and rows[2][-1] == "█" * 3  # 54 % and 14 % of 20 characters
    lagging_text = [[c.text for c in row.cells] for row in lagging.rows]
    assert lagging_text[1][2] == "<b>运城二建</b>" and lagging_text[2][0] == f"P3 {FORMULA}"
    assert len(items.rows) == 3


def test_the_excel_file_has_four_sheets_a_chart_and_keeps_user_text_as_text(works):
    from openpyxl import load_workbook

    with translation.override("en"):
        content = bulletin_excel.bulletin_xlsx(_data())
    workbook = load_workbook(io.BytesIO(content))
    # The progress bulletin's four sheets first; the sections of the apps after acceptance follow them.
    assert workbook.sheetnames[:4] == ["Summary", "Sub-district ranking", "Lagging projects", "Quantities"]
    ranking = workbook["Sub-district ranking"]
    assert [ranking.cell(row=r, column=2).value for r in (2, 3)] == ["东城办事处", "西城办事处"]
    assert ranking.cell(row=2, column=9).number_format == "0.00%"
    assert len(ranking._charts) == 1
    lagging = workbook["Lagging projects"]
    cell = lagging.cell(row=3, column=2)
    assert cell.value == FORMULA and cell.data_type == "s"
    # No formula anywhere in the file: the project name did not become one.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    assert workbook["Quantities"].cell(row=2, column=8).value == "塑钢窗更换 82 households"


def test_the_command_writes_both_files(works, tmp_path, capsys):
    out = tmp_path / "bulletins" / "2021"
    call_command("bulletin", "--date", "2021-11-25", "--out", str(out))
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "进度通报_20211125.docx"), str(out / "进度通报_20211125.xlsx")]
    assert all((out / name).stat().st_size > 1000 for name in ("进度通报_20211125.docx", "进度通报_20211125.xlsx"))


def test_the_command_refuses_a_bad_date(db, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("bulletin", "--date", "2021-13-40", "--out", str(tmp_path))


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_converts_the_files(works, tmp_path):
    call_command("bulletin", "--date", "2021-11-25", "--out", str(tmp_path))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    for kind in ("docx", "xlsx"):
        # Both files share a stem, so each gets its own folder for the PDF.
        subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                        "pdf", "--outdir", str(tmp_path / kind), str(tmp_path / f"进度通报_20211125.{kind}")],
                       check=True, timeout=120)
        assert (tmp_path / kind / "进度通报_20211125.pdf").stat().st_size > 1000


def test_the_pages_show_the_bulletin_and_default_to_the_platforms_day(works, client, bureau, settings):
    client.force_login(bureau)
    page = client.get(reverse("works:bulletin"))
    assert page.status_code == 200 and page.context["day"] == clock.real_today()
    settings.GAIZAO_TODAY = DAY
    page = client.get(reverse("works:bulletin"))
    assert page.status_code == 200 and page.context["day"] == DAY
    page = client.get(reverse("works:bulletin"), {"date": "2021-11-25"})
    html = page.content.decode()
    assert "东城办事处" in html and "西城办事处" in html
    assert "&lt;b&gt;运城二建&lt;/b&gt;" in html and "<b>运城二建" not in html
    assert 'id="bulletin-chart"' in html and "<script>" not in html.split("<body", 1)[1].replace(
        "<script src=", "")
    docx = client.get(reverse("works:bulletin_docx"), {"date": "2021-11-25"})
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    assert "20211125.docx" in docx["Content-Disposition"]
    xlsx = client.get(reverse("works:bulletin_xlsx"), {"date": "2021-11-25"})
    assert xlsx.status_code == 200 and "20211125.xlsx" in xlsx["Content-Disposition"]
    assert client.get(reverse("works:bulletin_xlsx"), {"date": "25.11.2021"}).status_code == 400
    assert client.get(reverse("works:bulletin"), {"date": "soon"}).status_code == 400


def test_the_dashboard_gives_the_charts_and_the_map_their_data(works, client, bureau):
    client.force_login(bureau)
    page = client.get(reverse("works:dashboard"), {"date": "2021-11-25"})
    assert page.status_code == 200
    charts = page.context["charts"]
    assert charts["progress"]["points"][-1][0] == "2021-11-20"
    assert charts["progress"]["milestone"]["target"] == 80
    assert charts["subdistricts"]["labels"] == ["东城办事处", "西城办事处"]
    assert [d["value"] for d in charts["started"]["data"]] == [2, 1]
    html = page.content.decode()
    assert 'data-works-map="dashboard-map"' in html and "leaflet.css" in html
    # The points are not in the page: its script fetches them from the map URL, for the same day.
    assert "康杰中学家属院" not in html and 'data-url="/works/dashboard/map.json?date=2021-11-25"' in html
    points = client.get(reverse("works:dashboard_map"), {"date": "2021-11-25"}).json()["points"]
    states = {p["code"]: p["state"] for p in points}
    assert states == {"DC001": "under_construction", "DC002": "not_started", "XC001": "under_construction"}
    assert json.loads(html.split('<script id="dashboard-charts" type="application/json">')[1]
                      .split("</script>")[0])["items"]["labels"] == [WINDOWS, INSULATION]


def test_a_finished_community_shows_as_done(works, client, bureau):
    p2 = works["p2"]
    _report(bureau, p2, datetime.date(2021, 11, 22), {WINDOWS: 48, INSULATION: 3000})
    client.force_login(bureau)
    points = client.get(reverse("works:dashboard_map"), {"date": "2021-11-25"}).json()["points"]
    assert {p["code"]: p["state"] for p in points}["DC002"] == "done"


def test_an_officer_sees_only_their_subdistrict(works, client, officer):
    client.force_login(officer)
    html = client.get(reverse("works:bulletin"), {"date": "2021-11-25"}).content.decode()
    # P3 is 西城's: no link to it (a bare "P3" could be part of the page's random CSRF token).
    assert "东城办事处" in html and "西城办事处" not in html and reverse("works:detail", args=["P3"]) not in html
    page = client.get(reverse("works:dashboard"), {"date": "2021-11-25"})
    assert page.status_code == 200
    points = client.get(reverse("works:dashboard_map"), {"date": "2021-11-25"}).json()["points"]
    assert [p["code"] for p in points] == ["DC001", "DC002"]
    assert page.context["charts"]["subdistricts"]["labels"] == ["东城办事处"]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(reverse("works:bulletin_xlsx"), {"date": "2021-11-25"}).content))
    names = [row[1] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert names == ["东城办事处"]


def test_pages_need_a_login(client):
    for name in ("works:dashboard", "works:dashboard_map", "works:bulletin", "works:lagging", "works:bulletin_docx",
                 "works:bulletin_xlsx"):
        assert client.get(reverse(name)).status_code == 302


def test_an_empty_district_still_gives_a_bulletin(district, client, bureau):
    data = bulletin.bulletin_data(DAY, Project.objects.all())
    assert data["subdistricts"] == [] and data["lagging"] == [] and data["district"]["projects"] == 0
    assert bulletin_word.bulletin_docx(data) and bulletin_excel.bulletin_xlsx(data)
    client.force_login(bureau)
    for name in ("works:dashboard", "works:dashboard_map", "works:bulletin", "works:lagging", "works:bulletin_docx",
                 "works:bulletin_xlsx"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("works:dashboard_map")).json()["points"] == []
