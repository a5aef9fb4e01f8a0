import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from conftest import make_community, workbook_bytes
from gaizao.communities.census.exporter import census_workbook
from gaizao.communities.census.importer import ImportRejected, apply_import, plan_import
from gaizao.communities.census.reader import read_workbook
from gaizao.communities.models import Building, Community
from gaizao.core.excel import to_bytes
from gaizao.core.models import AuditEntry
from gaizao.regions.models import Area

AREAS = [["140800", "运城市", None, "市"], ["140802", "盐湖区", "140800", "区"],
         ["140802001", "东城办事处", "140802", "办事处"], ["140802002", "西城办事处", "140802", "办事处"]]
COMMUNITIES = [
    ["A001", "康杰中学家属院", "东城", 1992, "槐东路", "单位家属院", "单位管理", None, 480.5, 111.0, 35.03, None,
     "实施", 2021, "是"],
    ["A002", "电业局家属院", "西城办事处", 1985, None, "房改房", "无", "三供一业", None, None, None, None,
     None, None, "否"],
    ["A003", "新城小区", "140802002", 2005, None, "商品房", "物业公司", None, None, None, None, None, None, None, None],
]
BUILDINGS = [
    ["A001", "1号楼", 4, 32, 2800, 1992, 2, "砖混", "否"],
    ["A001", "2号楼", 5, 40, 3600.25, 1994, 2, "砖混", "否"],
    ["A002", "1号楼", 6, 48, 4100, None, None, None, None],
    ["A003", "1号楼", 11, 88, 9000, 2005, 2, "框架", "是"],
]


def read(content: bytes):
    return read_workbook(io.BytesIO(content))


@pytest.fixture
def good_workbook():
    return workbook_bytes(COMMUNITIES, BUILDINGS, AREAS)


def test_import_creates_areas_communities_and_buildings(db, good_workbook):
    result = apply_import(read(good_workbook))
    assert result.totals["community"] == {"create": 3, "update": 0, "unchanged": 0}
    assert result.totals["building"]["create"] == 4
    kangjie = Community.objects.get(code="A001")
    assert kangjie.subdistrict.name == "东城办事处"
    assert kangjie.investment_estimate == Decimal("4805000.00")
    assert kangjie.is_demonstration and kangjie.batch_year == 2021 and kangjie.programme_status == "implementing"
    assert kangjie.is_eligible
    assert not Community.objects.get(code="A002").is_eligible  # 三供一业
    assert not Community.objects.get(code="A003").is_eligible  # built 2005
    assert Area.objects.get(code="140802002").parent.code == "140802"
    assert AuditEntry.objects.filter(object_type="communities.community", action="create").count() == 3


def test_export_then_import_changes_nothing(db, good_workbook):
    apply_import(read(good_workbook))
    exported = to_bytes(census_workbook(Community.objects.all()))
    result = plan_import(read(exported))
    assert not result.errors
    assert not result.has_changes
    assert result.totals["community"]["unchanged"] == 3
    assert result.totals["building"]["unchanged"] == 4


def test_import_again_updates_only_changed_rows(db, good_workbook):
    apply_import(read(good_workbook))
    changed = [list(r) for r in COMMUNITIES]
    changed[1][3] = 1986
    result = apply_import(read(workbook_bytes(changed, BUILDINGS, AREAS)))
    assert result.totals["community"] == {"create": 0, "update": 1, "unchanged": 2}
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before == {"year_built": 1985} and entry.after == {"year_built": 1986}


def test_one_bad_cell_rejects_the_whole_file_and_names_the_cell(db, good_workbook):
    apply_import(read(good_workbook))
    before = (Community.objects.count(), Building.objects.count(), AuditEntry.objects.count())
    bad_buildings = [list(r) for r in BUILDINGS]
    bad_buildings[2][2] = "六层"  # sheet 楼栋, row 4, column 层数
    new_communities = [*COMMUNITIES, ["A004", "新增小区", "东城", 1990]]
    with pytest.raises(ImportRejected) as rejected:
        apply_import(read(workbook_bytes(new_communities, bad_buildings, AREAS)))
    errors = rejected.value.result.errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("楼栋", 4, "层数")]
    assert (Community.objects.count(), Building.objects.count(), AuditEntry.objects.count()) == before
    assert not Community.objects.filter(code="A004").exists()


def test_every_kind_of_bad_row_is_listed(db, dongcheng):
    communities = [
        ["B001", "", "东城", 1990],  # missing name
        ["B002", "甲小区", "北城", 1990],  # unknown sub-district
        ["B003", "乙小区", "东城", "九零年"],  # malformed year
        ["B003", "丙小区", "东城", 1990],  # duplicate code
    ]
    buildings = [["Z999", "1号楼", 5, 40, 3000], ["B001", "1号楼", 5, -1, 0]]
    result = plan_import(read(workbook_bytes(communities, buildings)))
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert ("小区", 2, "小区名称") in found
    assert ("小区", 3, "所属办事处") in found
    assert ("小区", 4, "建成年份") in found
    assert ("小区", 5, "小区编码") in found
    assert ("楼栋", 2, "小区编码") in found
    assert ("楼栋", 3, "户数") in found and ("楼栋", 3, "建筑面积(平方米)") in found


def test_missing_required_header_is_reported(db):
    workbook = census_workbook()
    workbook["小区"].delete_cols(4)  # 建成年份
    result = plan_import(read(to_bytes(workbook)))
    assert [(e.sheet, e.column) for e in result.errors] == [("小区", "建成年份")]


def test_a_file_that_is_not_a_workbook_is_refused(db):
    result = plan_import(read(b"name,code\n1,2\n"))
    assert len(result.errors) == 1 and "xlsx" in result.errors[0].message


def test_officer_may_import_only_their_subdistrict(db, officer, xicheng):
    content = workbook_bytes([["C001", "甲小区", "西城", 1990], ["C002", "乙小区", "东城", 1990]])
    result = plan_import(read(content), officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属办事处")]


def test_officer_cannot_take_over_another_subdistricts_community(db, officer, xicheng):
    make_community(xicheng, "XC9", "丁小区")
    result = plan_import(read(workbook_bytes([["XC9", "丁小区", "东城", 1990]])), officer)
    assert result.errors and not result.has_changes


def test_cli_dry_run_writes_nothing_and_bad_file_exits_non_zero(db, tmp_path, good_workbook, capsys):
    path = tmp_path / "census.xlsx"
    path.write_bytes(good_workbook)
    call_command("import_census", str(path), "--dry-run")
    assert Community.objects.count() == 0
    assert "3" in capsys.readouterr().out
    call_command("import_census", str(path))
    assert Community.objects.count() == 3

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([["A009", "坏小区", "东城", 3000]]))
    with pytest.raises(CommandError):
        call_command("import_census", str(bad))
    assert "建成年份" in capsys.readouterr().err
    assert not Community.objects.filter(code="A009").exists()


def test_census_template_command_writes_the_three_sheets(tmp_path):
    path = tmp_path / "template.xlsx"
    call_command("census_template", str(path))
    data = read_workbook(path)
    assert not data.errors
    assert {"code", "name", "subdistrict", "year_built"} <= data.communities.present


def test_the_history_of_an_imported_community_names_its_problems_in_words(db, client, bureau):
    row = [*COMMUNITIES[0], "垃圾乱堆、屋面漏水"]
    apply_import(read(workbook_bytes([row], BUILDINGS[:2], AREAS)))
    entry = AuditEntry.objects.get(object_type="communities.community", action="create")
    assert entry.after["problems"] == ["leaking_roof", "refuse"] or entry.after["problems"] == ["refuse",
                                                                                                 "leaking_roof"]
    client.force_login(bureau)
    history = client.get("/communities/A001/").content.decode().split('id="history"')[1]
    assert "垃圾乱堆" in history and "屋面漏水" in history
    assert "refuse" not in history and "leaking_roof" not in history
