"""The households register: workbook import (all or nothing, upsert), masked export, CLI, pages and API."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.core.excel import to_bytes
from gaizao.core.models import AuditEntry
from gaizao.households import services as households
from gaizao.households.models import Committee, CommitteeMember, Household, Owner, Ownership
from gaizao.households.services import reader

HEADERS = households.HEADERS


def id_number(body17: str) -> str:
    """A valid 18-character ID number from 17 digits (the check character computed)."""
    total = sum(int(d) * w for d, w in zip(body17, reader._ID_WEIGHTS, strict=True))
    return body17 + reader._ID_CHECK[total % 11]


ZHANG_ID = id_number("14080219600101123")
LI_ID = id_number("14080219620202234")
WANG_ID = id_number("14080219550303345")
ZHANG_PHONE, LI_PHONE, WANG_PHONE = "13812345678", "13987654321", "13600001111"


def workbook(*rows) -> io.BytesIO:
    book = households.households_workbook()
    for row in rows:
        book[households.SHEET].append(list(row))
    return io.BytesIO(to_bytes(book))


def sample_rows():
    return [
        # community, building, unit, room, area, names, phones, ids, owner occupied
        ["DC001", "1号楼", 1, "101", 68.5, "张伟", ZHANG_PHONE, ZHANG_ID, "是"],
        ["DC001", "1号楼", 1, "102", 72, "李娜、王芳", f"{LI_PHONE}、{WANG_PHONE}", f"{LI_ID}、{WANG_ID}", "是"],
        ["DC001", "1号楼", 2, "201", 80, "赵强", "", "", "否"],
        ["DC001", "1号楼", 2, "201", 80, "孙丽", "13700002222", "", "否"],
        ["DC001", "2号楼", None, "301", 55.25, "张伟", ZHANG_PHONE, ZHANG_ID, None],  # owner of two dwellings
    ]


def all_cells(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
                     if v is not None)


@pytest.fixture
def imported(east_community):
    result = households.apply_import(workbook(*sample_rows()))
    assert result.applied, result.errors
    return result


def test_template_has_the_columns_and_keeps_numbers_as_text(db):
    book = load_workbook(io.BytesIO(to_bytes(households.households_workbook())))
    sheet = book[households.SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.column_dimensions["H"].number_format == "@"
    assert "填写说明" in book.sheetnames


def test_import_creates_households_owners_and_co_owners(imported, east_community):
    assert imported.households == {"create": 4, "update": 0, "unchanged": 0}
    assert imported.owners == {"create": 5, "update": 0}
    assert Household.objects.filter(building__community=east_community).count() == 4
    room_102 = Household.objects.get(building__name="1号楼", stairwell_unit=1, room="102")
    assert sorted(o.owner.name for o in room_102.ownerships.all()) == ["李娜", "王芳"]
    assert room_102.exclusive_area_m2 == Decimal("72.00")
    room_201 = Household.objects.get(room="201")
    assert room_201.owner_occupied is False and room_201.ownerships.count() == 2
    zhang = Owner.objects.get(name="张伟")
    assert zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert zhang.ownerships.count() == 2  # one owner of two dwellings, matched by ID number
    assert Household.objects.get(room="301").stairwell_unit == 1  # empty unit means 1


def test_import_again_changes_nothing(imported):
    again = households.apply_import(workbook(*sample_rows()))
    assert again.households == {"create": 0, "update": 0, "unchanged": 4}
    assert again.owners == {"create": 0, "update": 0}
    assert Owner.objects.count() == 5 and Ownership.objects.count() == 6


def test_upsert_by_room_updates_area_and_owners(imported):
    rows = sample_rows()
    rows[0][4] = 70  # area corrected
    rows[1] = ["DC001", "1号楼", 1, "102", 72, "李娜", LI_PHONE, LI_ID, "是"]  # 王芳 sold her share
    result = households.apply_import(workbook(*rows))
    assert result.households["update"] == 2
    assert Household.objects.get(room="101").exclusive_area_m2 == Decimal("70.00")
    room_102 = Household.objects.get(room="102")
    assert [o.owner.name for o in room_102.ownerships.all()] == ["李娜"]


def test_owner_matched_by_name_and_phone_without_id(imported):
    rows = [["DC001", "2号楼", 1, "302", 60, "孙丽", "13700002222", "", "是"]]
    result = households.apply_import(workbook(*rows))
    assert result.owners == {"create": 0, "update": 0}
    assert Owner.objects.get(name="孙丽").ownerships.count() == 2


def test_owner_gets_id_number_later(imported):
    sun_id = id_number("14080219700404456")
    rows = [["DC001", "1号楼", 2, "201", 80, "孙丽", "13700002222", sun_id, "否"]]
    result = households.apply_import(workbook(*rows))
    assert result.owners == {"create": 0, "update": 1}
    assert Owner.objects.get(name="孙丽").id_number == sun_id


def test_any_bad_row_rejects_the_whole_file(east_community):
    rows = sample_rows() + [
        ["DC001", "9号楼", 1, "101", 50, "", "", "", ""],  # unknown building
        ["NOPE", "1号楼", 1, "101", 50, "", "", "", ""],  # unknown community
        ["DC001", "1号楼", 1, "103", 50, "周杰", "", id_number("14080219800101123")[:-1] + "0", ""],
        ["DC001", "1号楼", 1, "104", 50, "吴一、郑二", "13800000000", "", ""],  # one phone for two names
        ["DC001", "1号楼", 1, "101", 99, "张伟", ZHANG_PHONE, ZHANG_ID, "是"],  # same room, other area
        ["DC001", "1号楼", 1, "105", -3, "", "", "", ""],  # area must be positive
        ["DC001", "1号楼", 1, "106", 50, "钱多", "12ab", "", ""],
        ["DC001", "1号楼", 1, "107", 50, "孔明", "", 140802196001011230, ""],  # typed as a number
    ]
    with pytest.raises(households.ImportRejected) as rejected, translation.override("en"):
        households.apply_import(workbook(*rows))
    errors = rejected.value.result.errors
    assert [e.row for e in errors] == [7, 8, 9, 10, 11, 12, 13, 14]
    assert {e.column for e in errors} >= {"楼栋名称", "小区编码", "身份证号", "联系电话", "专有面积(平方米)"}
    assert "does not match" in errors[2].message
    assert Household.objects.count() == 0 and Owner.objects.count() == 0


def test_not_a_workbook_is_one_error(db):
    with translation.override("en"):
        result = households.plan_import(io.BytesIO(b"not a workbook"))
    assert len(result.errors) == 1 and "not an Excel workbook" in result.errors[0].message


def test_missing_sheet_or_column(east_community):
    book = households.households_workbook()
    book[households.SHEET].delete_cols(5)  # no area column
    result = households.plan_import(io.BytesIO(to_bytes(book)))
    assert result.errors and result.errors[0].column == "专有面积(平方米)"


def test_export_masks_numbers_and_imports_back_unchanged(imported, east_community):
    data = to_bytes(households.households_workbook([east_community]))
    cells = all_cells(data)
    for secret in (ZHANG_PHONE, LI_PHONE, WANG_PHONE, "13700002222", ZHANG_ID, LI_ID, WANG_ID):
        assert secret not in cells
    assert "138****5678" in cells
    again = households.apply_import(io.BytesIO(data))
    assert again.households == {"create": 0, "update": 0, "unchanged": 4}
    assert again.owners == {"create": 0, "update": 0}
    assert Owner.objects.get(name="张伟").id_number == ZHANG_ID  # the stored numbers are kept
    assert Owner.objects.get(name="李娜").phone == LI_PHONE


def test_a_masked_number_that_matches_nobody_is_an_error(imported):
    rows = [["DC001", "1号楼", 1, "101", 68.5, "张伟", "139****0000", "", "是"]]
    with pytest.raises(households.ImportRejected) as rejected:
        households.apply_import(workbook(*rows))
    assert rejected.value.result.errors[0].column == "联系电话"


def test_officer_imports_only_their_own_subdistrict(east_community, west_community, officer):
    rows = [["XC001", "1号楼", 1, "101", 50, "", "", "", ""]]
    with translation.override("en"):
        result = households.plan_import(workbook(*rows), officer)
    assert result.errors and "own sub-district" in result.errors[0].message
    ok = households.plan_import(workbook(["DC001", "1号楼", 1, "101", 50, "", "", "", ""]), officer)
    assert not ok.errors


def test_import_leaves_names_and_numbers_out_of_the_history(imported):
    from gaizao.core.models import AuditEntry

    text = " ".join(str(e.before) + str(e.after) + e.object_repr for e in AuditEntry.objects.all())
    assert AuditEntry.objects.count() == 4
    for secret in (ZHANG_PHONE, ZHANG_ID, "张伟"):
        assert secret not in text


def test_a_changed_phone_is_on_record_but_masked(imported, east_community, bureau, client):
    from gaizao.core.models import AuditEntry

    rows = [["DC001", "1号楼", 1, "101", 68.5, "张伟", "13911112222", ZHANG_ID, "是"]]
    result = households.apply_import(workbook(*rows))
    assert result.owners == {"create": 0, "update": 1}
    entry = AuditEntry.objects.get(object_type="households.owner")
    assert entry.before == {"phone": "138****5678"} and entry.after == {"phone": "139****2222"}
    assert entry.object_repr == "张*" and entry.parent_id == str(east_community.pk)
    client.force_login(bureau)
    history = client.get(reverse("communities:detail", args=["DC001"])).content.decode().split('id="history"')[1]
    assert "138****5678 → 139****2222" in history and "13911112222" not in history and "张伟" not in history


def test_command_dry_run_and_import(east_community, tmp_path, capsys):
    path = tmp_path / "households.xlsx"
    path.write_bytes(workbook(*sample_rows()).getvalue())
    call_command("import_households", str(path), "--dry-run")
    assert Household.objects.count() == 0
    call_command("import_households", str(path))
    assert Household.objects.count() == 4
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(["DC001", "9号楼", 1, "1", 5, "", "", "", ""]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_households", str(bad))


# -- pages and API -------------------------------------------------------------------------------------------

@pytest.fixture
def committee_user(east_community):
    user = ensure_user("weiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER)
    committee = Committee.objects.create(community=east_community, name="康杰临时管委会")
    CommitteeMember.objects.create(committee=committee, user=user)
    return user


def test_bureau_imports_through_the_page(client, bureau, east_community):
    client.force_login(bureau)
    url = reverse("households:households_import", args=["DC001"])
    upload = workbook(*sample_rows())
    upload.name = "households.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert Household.objects.count() == 4


def test_import_page_lists_errors_and_writes_nothing(client, officer, east_community):
    client.force_login(officer)
    upload = workbook(["DC001", "9号楼", 1, "101", 50, "", "", "", ""])
    upload.name = "bad.xlsx"
    response = client.post(reverse("households:households_import", args=["DC001"]), {"file": upload})
    assert response.status_code == 200
    assert b"import-errors" in response.content and Household.objects.count() == 0


def test_committee_member_may_not_import(client, committee_user, east_community):
    client.force_login(committee_user)
    assert client.get(reverse("households:households_import", args=["DC001"])).status_code == 403


def test_register_page_masks_numbers_for_everyone_until_revealed_with_a_reason(client, imported, officer, bureau,
                                                                                committee_user):
    url = reverse("households:manage", args=["DC001"])
    for user in (officer, committee_user, bureau):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "138****5678" in page and ZHANG_PHONE not in page and ZHANG_ID not in page
    home = Household.objects.filter(ownerships__owner__id_number=ZHANG_ID).order_by("pk").first()
    reveal = reverse("households:reveal", args=["DC001"])
    client.force_login(bureau)
    refused = client.post(reveal, {"household": home.pk, "reason": " "}, follow=True).content.decode()
    assert ZHANG_PHONE not in refused and "原因" in refused
    shown = client.post(reveal, {"household": home.pk, "reason": "核对产权人身份"}).content.decode()
    assert ZHANG_PHONE in shown and ZHANG_ID in shown
    entry = AuditEntry.objects.get(action="reveal", object_type="households.household")
    assert (entry.actor, entry.reason) == (bureau, "核对产权人身份")
    client.force_login(committee_user)
    assert ZHANG_PHONE in client.post(reveal, {"household": home.pk, "reason": "上门发放验证码"}).content.decode()
    client.force_login(officer)  # the sub-district office works with masked numbers
    assert client.post(reveal, {"household": home.pk, "reason": "想看看"}).status_code == 403


def test_a_full_export_needs_a_reason_and_is_recorded(client, imported, bureau):
    client.force_login(bureau)
    url = reverse("households:households_export", args=["DC001"])
    assert client.post(url, {"reason": ""}).status_code == 302
    response = client.post(url, {"reason": "报送不动产登记中心核对"})
    cells = [str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    assert ZHANG_PHONE in cells and ZHANG_ID in cells
    entry = AuditEntry.objects.get(action="reveal", object_type="communities.community")
    assert entry.reason == "报送不动产登记中心核对"


def test_scope_of_the_register(client, imported, west_community, committee_user, resident):
    client.force_login(committee_user)
    assert client.get(reverse("households:manage", args=["XC001"])).status_code == 404
    assert client.get(reverse("households:manage_index")).status_code == 200
    client.force_login(resident)
    assert client.get(reverse("households:manage", args=["DC001"])).status_code == 404
    assert client.get(reverse("households:manage_index")).status_code == 403


def test_export_download_is_masked_even_for_the_bureau(client, imported, bureau):
    client.force_login(bureau)
    response = client.get(reverse("households:households_export", args=["DC001"]))
    assert response.status_code == 200
    cells = all_cells(response.content)
    assert ZHANG_PHONE not in cells and ZHANG_ID not in cells and "张伟" in cells
    template = client.get(reverse("households:households_template"))
    assert template.status_code == 200


def test_households_api_is_masked_and_scoped(client, imported, bureau, west_community, committee_user):
    client.force_login(bureau)
    response = client.get("/api/households/", {"community": "DC001"})
    assert response.status_code == 200
    body = response.content.decode()
    assert response.json()["count"] == 4
    assert ZHANG_PHONE not in body and ZHANG_ID not in body and LI_ID not in body
    assert "138****5678" in body
    client.force_login(committee_user)
    assert client.get("/api/households/", {"community": "XC001"}).json()["count"] == 0
    client.logout()
    assert client.get("/api/households/").status_code in (401, 403)


def test_registered_area_and_the_developers_units_come_from_the_workbook(east_community):
    rows = sample_rows()
    rows[0] = [*rows[0], 66.8, "否"]
    rows[1] = [*rows[1], None, "是"]
    result = households.apply_import(workbook(*rows))
    assert result.applied, result.errors
    first = Household.objects.get(room="101")
    assert (first.registered_area_m2, first.voting_area_m2, first.developer_held) == (
        Decimal("66.80"), Decimal("66.80"), False)
    assert Household.objects.get(room="102").developer_held is True
    # The export carries both columns; importing it back changes nothing.
    exported = io.BytesIO(to_bytes(households.households_workbook(east_community.__class__.objects.filter(
        pk=east_community.pk))))
    assert households.plan_import(exported).households == {"create": 0, "update": 0, "unchanged": 4}
    # A workbook of the first format (without the two columns) leaves them as they are.
    from openpyxl import Workbook

    old = Workbook()
    sheet = old.active
    sheet.title = households.SHEET
    sheet.append(households.HEADERS[:9])
    for row in sample_rows():
        sheet.append(row)
    assert households.apply_import(io.BytesIO(to_bytes(old))).households["update"] == 0
    assert Household.objects.get(room="101").registered_area_m2 == Decimal("66.80")
