"""Departments ranked by overdue items the way the bulletin ranks sub-districts: 1, 1, 3 … on the bulletin's day."""

import datetime
import io

from docx import Document
from openpyxl import load_workbook

from gaizao.coordination import services
from gaizao.coordination.bulletin import bulletin_section
from gaizao.coordination.tests.conftest import DAY, MEETING_DAY, add
from gaizao.works import bulletin as bulletins
from gaizao.works.bulletin_excel import bulletin_xlsx
from gaizao.works.bulletin_word import bulletin_docx
from gaizao.works.models import Project

LATE = datetime.date(2021, 11, 10)
LATER = datetime.date(2021, 12, 31)


def _ranks(day=DAY):
    return [(r["name"], r["rank"], r["overdue"]) for r in services.department_ranking(day)]


def test_fewest_overdue_first_and_equal_counts_share_a_rank(bureau, meeting, water_company, power_company,
                                                            urban_management):
    add(bureau, meeting, water_company, LATE)
    add(bureau, meeting, water_company, LATE)
    add(bureau, meeting, power_company, LATE)
    add(bureau, meeting, urban_management, LATE)
    add(bureau, meeting, urban_management, LATER)  # not yet due: not overdue
    assert _ranks() == [("国网运城供电公司", 1, 1), ("盐湖区城市管理局", 1, 1), ("盐湖区供水公司", 3, 2)]
    rows = services.department_ranking(DAY)
    assert [(r["items"], r["done"], r["open"]) for r in rows] == [(1, 0, 1), (2, 0, 2), (2, 0, 2)]
    assert services.totals(rows) == {"items": 5, "done": 0, "open": 5, "overdue": 4}


def test_closing_an_item_moves_the_department_up(bureau, water, meeting, water_company, power_company):
    first = add(bureau, meeting, water_company, LATE)
    add(bureau, meeting, water_company, LATE)
    add(bureau, meeting, power_company, LATE)
    assert _ranks() == [("国网运城供电公司", 1, 1), ("盐湖区供水公司", 2, 2)]
    services.close_item(water, first, evidence="已完成")
    # Tied at one overdue each: both first; the water company lists first, having closed half its items.
    assert _ranks() == [("盐湖区供水公司", 1, 1), ("国网运城供电公司", 1, 1)]


def test_the_ranking_is_as_of_the_bulletins_day(bureau, water, meeting, water_company, power_company):
    item = add(bureau, meeting, water_company, LATE)
    add(bureau, meeting, power_company, datetime.date(2021, 11, 22))
    services.close_item(water, item, evidence="已完成", day=datetime.date(2021, 11, 15))
    # 11-12: the water item was late and still open; the power item not yet due.
    assert _ranks(datetime.date(2021, 11, 12)) == [("国网运城供电公司", 1, 0), ("盐湖区供水公司", 2, 1)]
    # 11-25: the water item was closed on the 15th; the power item is late.
    assert _ranks(DAY) == [("盐湖区供水公司", 1, 0), ("国网运城供电公司", 2, 1)]
    # Before the meeting nothing had been decided.
    assert services.department_ranking(MEETING_DAY - datetime.timedelta(days=1)) == []


def test_the_bulletin_page_word_and_excel_carry_the_ranking(bureau, meeting, water_company, power_company,
                                                             client):
    add(bureau, meeting, water_company, LATE)
    add(bureau, meeting, power_company, LATER)
    data = bulletins.bulletin_data(DAY, Project.objects.all())
    assert data["coordination"] == bulletin_section(DAY)
    assert "1 overdue" in data["coordination"]["paragraph"]
    assert "盐湖区供水公司" in data["coordination"]["paragraph"]  # the most overdue, named

    document = Document(io.BytesIO(bulletin_docx(data)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert data["coordination"]["heading"] in text
    ranking = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Rank", "Lead department"])
    assert [c.text for c in ranking.rows[1].cells][:2] == ["1", "国网运城供电公司"]
    assert [c.text for c in ranking.rows[2].cells][-1] == "1"

    workbook = load_workbook(io.BytesIO(bulletin_xlsx(data)))
    sheet = workbook["Departments' ranking"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0][:2] == [1, "国网运城供电公司"] and values[1][-1] == 1
    assert values[-1][1] == "Total" and values[-1][-1] == 1

    client.force_login(bureau)
    page = client.get("/works/bulletin/?date=2021-11-25", headers={"accept-language": "en"}).content.decode()
    assert 'id="coordination-ranking"' in page and "盐湖区供水公司" in page
