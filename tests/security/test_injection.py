"""User text cannot inject script into the pages, formulas into the Excel files, or anything into the Word bulletin.

The world of this module is built from hostile text: every name, address, note, feedback, notice, vote, survey,
committee, owner, building, work item, programme and scenario starts like a spreadsheet formula (=, +, -, @) and
carries HTML that would run script. Pages must show it escaped; workbooks must hold it as text (never a formula,
and quote-prefixed so that editing the cell does not make it one); the Word bulletin must hold it literally.
"""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils.html import escape
from docx import Document
from openpyxl import load_workbook

from gaizao.core.excel import FORMULA_STARTS
from tests.security.conftest import client_for

PAYLOADS = {
    "east_name": '=HYPERLINK("http://evil","x")<script>alert(1)</script>',
    "east_address": "=cmd|' /C calc'!A0\"><img src=x onerror=alert(2)>",
    "builder": "+1+1<script>alert(3)</script>",
    "note": '@SUM(1)"><img src=x onerror=alert(4)>',
    "feedback": "-1+2<script>alert(5)</script>",
    "notice_title": "=1+1<script>alert(6)</script>",
    "notice_body": '"><img src=x onerror=alert(7)>',
    "vote_title": "=2*3<script>alert(8)</script>",
    "vote_description": '"><svg onload=alert(9)>',
    "survey_title": "@cmd<script>alert(10)</script>",
    "committee": '"><script>alert(11)</script>',
    "owner": '=1+2"><img src=x onerror=alert(12)>',  # no separators: the households sheet splits names on / and ,
    "building": "-3+3<script>alert(13)</script>",
    "item": "@SUM(2)<script>alert(14)</script>",
    "programme": "<script>alert(15)</script>",
    "scenario": '"><img src=x onerror=alert(16)>',
}


def markup(key: str) -> str:
    """The part of a payload a browser would run: from its first tag on."""
    payload = PAYLOADS[key]
    return payload[payload.index("<"):]


@pytest.fixture(scope="module")
def world_texts():
    return PAYLOADS


# ---- pages -------------------------------------------------------------------------------------------------------

def _get(world, persona, route, kwargs=None, query=""):
    response = client_for(world, persona).get(reverse(route, kwargs=kwargs) + query)
    assert response.status_code == 200, (route, response.status_code)
    return response


PAGES = [
    # (persona, route, kwargs, payloads the page shows)
    ("bureau", "communities:list", None, ["east_name"]),
    ("bureau", "communities:detail", lambda w: {"code": w.east.code},
     ["east_name", "east_address", "building", "notice_title", "notice_body", "vote_title"]),
    ("bureau", "communities:edit", lambda w: {"code": w.east.code}, ["east_name", "east_address"]),
    ("bureau", "reports:summary", None, []),
    ("bureau", "catalog:list", None, ["item"]),
    ("bureau", "planning:list", None, ["programme"]),
    ("bureau", "planning:board", lambda w: {"pk": w.programme.pk}, ["programme", "east_name", "scenario"]),
    ("bureau", "planning:compare", lambda w: {"pk": w.programme.pk}, ["programme", "east_name", "scenario"]),
    ("bureau", "planning:scenario", lambda w: {"pk": w.scenario.pk}, ["programme", "east_name", "scenario"]),
    ("bureau", "planning:community_plan", lambda w: {"code": w.east.code}, ["east_name", "item"]),
    ("bureau", "works:list", None, ["east_name", "builder"]),
    ("bureau", "works:detail", lambda w: {"code": w.project.code}, ["east_name", "builder", "item"]),
    ("bureau", "works:detail?tab=reports", lambda w: {"code": w.project.code}, ["note", "item"]),
    ("contractor", "works:report", lambda w: {"code": w.project.code}, ["east_name", "item"]),
    ("bureau", "works:dashboard", None, []),
    ("bureau", "works:bulletin", None, ["east_name", "builder", "item"]),
    ("bureau", "votes:list", None, ["east_name", "vote_title"]),
    ("bureau", "votes:detail", lambda w: {"vote_id": w.vote.pk}, ["east_name", "vote_title", "vote_description"]),
    ("committee", "votes:paper", lambda w: {"vote_id": w.vote.pk}, ["vote_title", "building"]),
    ("resident", "votes:resident_list", lambda w: {"code": w.east.code}, ["east_name", "vote_title"]),
    ("resident", "votes:resident_vote", lambda w: {"code": w.east.code, "vote_id": w.vote.pk},
     ["east_name", "vote_title", "vote_description"]),
    ("bureau", "feedback:list", None, ["east_name", "feedback", "builder"]),
    ("bureau", "feedback:detail", lambda w: {"pk": w.feedback.pk}, ["east_name", "feedback", "builder"]),
    ("contractor", "feedback:detail", lambda w: {"pk": w.feedback.pk}, ["east_name", "feedback"]),
    ("bureau", "notices:list", None, ["notice_title", "notice_body"]),
    ("resident", "feedback:mine", lambda w: {"code": w.east.code}, ["feedback", "builder"]),
    ("resident", "feedback:new", lambda w: {"code": w.east.code}, ["east_name"]),
    ("anonymous", "notices:resident_list", lambda w: {"code": w.east.code},
     ["east_name", "notice_title", "notice_body"]),
    ("anonymous", "residents:entry", lambda w: {"code": w.east.code}, ["east_name", "building"]),
    ("resident", "residents:home", lambda w: {"code": w.east.code},
     ["east_name", "notice_title", "vote_title", "survey_title", "building"]),
    ("resident", "surveys:survey_answer", lambda w: {"code": w.east.code, "survey_id": w.survey.pk},
     ["east_name", "survey_title", "item"]),
    ("bureau", "households:manage_index", None, ["east_name"]),
    ("bureau", "households:manage", lambda w: {"code": w.east.code},
     ["east_name", "owner", "survey_title", "building"]),
    ("bureau", "households:committee", lambda w: {"code": w.east.code}, ["east_name", "committee"]),
    ("committee", "households:codes", lambda w: {"code": w.east.code}, ["east_name", "building"]),
    ("bureau", "surveys:survey", lambda w: {"code": w.east.code, "survey_id": w.survey.pk},
     ["east_name", "survey_title"]),
    ("bureau", "surveys:satisfaction", None, []),
    ("bureau", "households:qr", lambda w: {"code": w.east.code}, ["east_name"]),
]


@pytest.mark.parametrize("persona, route, kwargs, shown", PAGES,
                         ids=[f"{persona}-{route}" for persona, route, _kwargs, _shown in PAGES])
def test_pages_show_user_text_escaped(world, db, persona, route, kwargs, shown):
    route, _mark, query = route.partition("?")  # a tab of the page: the route, then its query
    body = _get(world, persona, route, kwargs(world) if kwargs else None, "?" + query if query else "").content.decode()
    running = [key for key in PAYLOADS if markup(key) in body]
    assert not running, f"{route} shows {running} as markup: {[markup(k) for k in running]}"
    missing = [key for key in shown if escape(markup(key)) not in body]
    assert not missing, f"{route} should show {missing} (escaped), so that this test checks something"


def test_the_qr_code_names_the_community_as_text(world, db):
    svg = _get(world, "bureau", "households:qr_svg", {"code": world.east.code}).content.decode()
    assert markup("east_name") not in svg


# ---- workbooks -----------------------------------------------------------------------------------------------------

WORKBOOKS = [
    # (persona, route, kwargs, query, payloads the workbook holds)
    ("bureau", "communities:export", None, "", ["east_name", "east_address", "building"]),
    ("bureau", "reports:summary_export", None, "", []),
    ("bureau", "catalog:export", None, "", ["item"]),
    ("bureau", "works:list", None, "?format=xlsx", ["east_name", "builder"]),
    ("bureau", "works:bulletin_xlsx", None, "", ["east_name", "builder", "item"]),
    ("bureau", "households:households_export", lambda w: {"code": w.east.code}, "", ["owner", "building"]),
    ("bureau", "feedback:list", None, "?format=xlsx", ["east_name", "feedback", "building", "builder"]),
]


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


@pytest.mark.parametrize("persona, route, kwargs, query, held", WORKBOOKS,
                         ids=[f"{route}{query}" for _p, route, _k, query, _h in WORKBOOKS])
def test_workbooks_hold_user_text_as_text(world, db, persona, route, kwargs, query, held):
    content = _get(world, persona, route, kwargs(world) if kwargs else None, query).content
    formulas, unguarded, values = [], [], set()
    for title, cell in _cells(content):
        if cell.data_type == "f":
            formulas.append(f"{title}!{cell.coordinate}: {cell.value}")
        elif isinstance(cell.value, str):
            values.add(cell.value)
            if cell.value.startswith(FORMULA_STARTS) and not cell.quotePrefix:
                unguarded.append(f"{title}!{cell.coordinate}: {cell.value}")
    assert not formulas, f"formulas in {route}: {formulas}"
    assert not unguarded, f"text Excel runs as a formula once edited, in {route}: {unguarded}"
    for key in held:  # the text itself is kept whole, so that the file imports back unchanged
        assert any(PAYLOADS[key] in value for value in values), f"{route} should hold {key}: {PAYLOADS[key]}"


def test_the_census_export_imports_back_unchanged(world, db):
    """Quote prefixes change how Excel treats a cell, not its value: export → import changes nothing."""
    from gaizao.communities.census.importer import plan_import
    from gaizao.communities.census.reader import read_workbook

    content = _get(world, "bureau", "communities:export").content
    result = plan_import(read_workbook(io.BytesIO(content)))
    assert not result.errors, [str(e) for e in result.errors]
    assert not result.has_changes, result.operations
    assert result.totals["community"]["unchanged"] == 2


# ---- the Word bulletin ---------------------------------------------------------------------------------------------

def test_the_word_bulletin_holds_user_text_literally(world, db):
    content = _get(world, "bureau", "works:bulletin_docx").content
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(texts)
    for key in ("east_name", "builder", "item"):
        assert PAYLOADS[key] in text, f"the bulletin should name {key} as written: {PAYLOADS[key]}"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode()
            assert "<script" not in xml and "<img" not in xml and "<svg" not in xml, name
            # A field (HYPERLINK, DDE …) is markup of its own, never text typed by a user.
            assert not re.search(r"<w:(fldSimple|instrText)\b", xml), name
