"""Provinces in the area tree and in the census workbook; a city may still stand alone."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import workbook_bytes
from gaizao.communities.census.importer import ImportRejected, apply_import, plan_import
from gaizao.communities.census.reader import read_workbook
from gaizao.regions.models import Area

pytestmark = pytest.mark.django_db
WITH_PROVINCE = [["140000", "山西省", None, "省"], ["140800", "运城市", "140000", "市"],
                 ["140802", "盐湖区", "140800", "区"], ["140802001", "东城办事处", "140802", "办事处"]]
COMMUNITIES = [["A001", "康杰中学家属院", "东城", 1992, None, None, None, None, None, None, None, None, None, None,
                None]]
BUILDINGS = [["A001", "1号楼", 4, 32, 2800, 1992, 2, "砖混", "否"]]


def _read(areas):
    return read_workbook(io.BytesIO(workbook_bytes(COMMUNITIES, BUILDINGS, areas)))


def test_a_workbook_with_a_province_imports():
    apply_import(_read(WITH_PROVINCE))
    city = Area.objects.get(code="140800")
    assert city.parent.code == "140000" and city.parent.level == Area.Level.PROVINCE


def test_a_workbook_without_a_province_still_imports():
    apply_import(_read([["140800", "运城市", None, "市"], *WITH_PROVINCE[2:]]))
    assert Area.objects.get(code="140800").parent is None


def test_a_province_under_another_area_is_refused():
    rows = [["100000", "某区域", None, "市"], ["140000", "山西省", "100000", "省"]] + WITH_PROVINCE[1:]
    result = plan_import(_read(rows))
    assert result.errors and any(e.column == "级别" for e in result.errors)
    with pytest.raises(ImportRejected):
        apply_import(_read(rows))


def test_the_database_keeps_provinces_at_the_top_and_districts_below():
    province = Area.objects.create(name="山西省", code="140000", level=Area.Level.PROVINCE)
    with pytest.raises(ValidationError):
        Area(name="x", code="1", level=Area.Level.PROVINCE, parent=province).full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Area.objects.create(name="盐湖区", code="140802", level=Area.Level.DISTRICT)
