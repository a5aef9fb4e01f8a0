"""Every Excel download on the Yanhu demo, opened as an official would: Chinese headers, a frozen header row,
columns wide enough to read, and amounts as numbers with thousands separators (not text, not 1199999995.6)."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaizao.accounts.models import User

CJK = re.compile(r"[\u4e00-\u9fff]")
# Sheets whose first row is a title or a form's heading rather than column names (the plan application form).
TITLED = {"application"}
# The census workbook goes back in through the import: its sub-district column holds division codes, as text.
ROUND_TRIP = {"communities"}


def _downloads(programme_pk: int, community: str) -> dict[str, str]:
    listing = {name: reverse(name) + "?format=xlsx" for name in (
        "works:list", "votes:list", "feedback:list")}
    return {
        **listing,
        "communities": reverse("communities:export"),
        "catalog": reverse("catalog:export"),
        "summary": reverse("reports:summary_export"),
        "bulletin": reverse("works:bulletin_xlsx") + "?date=2021-11-25",
        "board": reverse("planning:board", args=[programme_pk]) + "?format=xlsx",
        "application": reverse("planning:application", args=[programme_pk]),
        "households": reverse("households:households_export", args=[community]),
    }


def test_every_excel_download_reads_as_an_official_expects(yanhu_demo, client):
    from gaizao.planning.models import Programme
    from gaizao.votes.models import Vote

    client.force_login(User.objects.get(username="bureau"))
    programme = Programme.objects.order_by("pk").first()
    community = Vote.objects.order_by("pk").first().community.code
    problems = []
    for name, url in _downloads(programme.pk, community).items():
        answer = client.get(url)
        if answer.status_code != 200 or "spreadsheet" not in answer["Content-Type"]:
            problems.append(f"{name}: answered {answer.status_code} {answer['Content-Type']}")
            continue
        workbook = load_workbook(io.BytesIO(answer.content))
        for sheet in workbook.worksheets:
            where = f"{name} / {sheet.title}"
            if sheet.max_row < 2 or name in TITLED:
                continue
            headers = [cell.value for cell in sheet[1] if cell.value not in (None, "")]
            english = [h for h in headers if isinstance(h, str) and not CJK.search(h) and h not in ("ID",)]
            if english and len(english) > len(headers) // 3:
                problems.append(f"{where}: headers not in Chinese: {english[:5]}")
            if sheet.freeze_panes is None:
                problems.append(f"{where}: the header row is not frozen")
            for row in sheet.iter_rows(min_row=2, max_row=min(sheet.max_row, 60)):
                for cell in row:
                    value = cell.value
                    header = str(sheet.cell(row=1, column=cell.column).value or "")
                    if "年" in header or "码" in header or "号" in header:  # years, codes, phone numbers
                        continue
                    if isinstance(value, float | int | Decimal) and not isinstance(value, bool) and abs(value) >= 10000:
                        if "," not in cell.number_format and "%" not in cell.number_format:
                            problems.append(f"{where} {cell.coordinate}: {value} shown as {cell.number_format}")
                    if name not in ROUND_TRIP and isinstance(value, str) and re.fullmatch(r"-?\d{5,}(\.\d+)?", value):
                        problems.append(f"{where} {cell.coordinate}: the amount {value} is text")
    assert not problems, "\n".join(dict.fromkeys(re.sub(r" [A-Z]+\d+:", ":", p) for p in problems))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_bulletin_workbook_speaks_the_readers_language(yanhu_demo, client, language):
    client.force_login(User.objects.get(username="bureau"))
    client.cookies["django_language"] = language
    answer = client.get(reverse("works:bulletin_xlsx") + "?date=2021-11-25")
    first = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    header = " ".join(str(c.value) for c in first[1] if c.value)
    assert bool(CJK.search(header)) == (language == "zh-hans"), header
