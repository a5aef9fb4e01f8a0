from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD, make_community, workbook_bytes
from gaizao.communities.models import CensusImportJob, Community
from gaizao.core.models import AuditEntry


@pytest.fixture
def bureau_client(client, bureau):
    client.force_login(bureau)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_anonymous_is_sent_to_login(client, east_community):
    response = client.get(reverse("communities:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_login_page_logs_in_and_opens_the_summary(client, bureau):
    response = client.post(reverse("login"), {"username": "bureau", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:summary")


def test_list_filters_search_and_sort(bureau_client, east_community, west_community, xicheng):
    make_community(xicheng, "XC002", "新城小区", year_built=2008)
    page = bureau_client.get(reverse("communities:list"), {"eligible": "true"}).content.decode()
    assert "康杰中学家属院" in page and "新城小区" not in page
    page = bureau_client.get(reverse("communities:list"), {"q": "棉麻"}).content.decode()
    assert "棉麻家属院" in page and "康杰中学家属院" not in page
    page = bureau_client.get(reverse("communities:list"), {"subdistrict": xicheng.pk}).content.decode()
    assert "康杰中学家属院" not in page and "棉麻家属院" in page
    response = bureau_client.get(reverse("communities:list"), {"sort": "-households"})
    codes = [c.code for c in response.context["page"]]
    assert codes[0] == "DC001"  # 72 households, the most


def test_list_export_downloads_the_filtered_rows_as_a_census_workbook(bureau_client, east_community, west_community):
    import io

    from gaizao.communities.census.reader import read_workbook

    response = bureau_client.get(reverse("communities:export"), {"q": "康杰"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = read_workbook(io.BytesIO(response.content))
    assert [v["code"] for _, v in data.communities.rows] == ["DC001"]


def test_detail_shows_buildings_eligibility_and_history(bureau_client, bureau, east_community):
    page = bureau_client.get(reverse("communities:detail", args=["DC001"])).content.decode()
    assert "1号楼" in page and "2号楼" in page
    assert 'id="eligibility"' in page


def test_officer_cannot_open_or_change_another_subdistricts_community(officer_client, west_community):
    assert officer_client.get(reverse("communities:detail", args=["XC001"])).status_code == 404
    assert officer_client.get(reverse("communities:edit", args=["XC001"])).status_code == 404
    response = officer_client.post(reverse("communities:edit", args=["XC001"]), {"name": "改名"})
    assert response.status_code == 404
    assert Community.objects.get(code="XC001").name == "棉麻家属院"
    assert "棉麻家属院" not in officer_client.get(reverse("communities:list")).content.decode()


def test_officer_edits_own_community_and_history_records_it(officer_client, east_community, dongcheng):
    data = {
        "name": "康杰中学家属院", "subdistrict": dongcheng.pk, "address": "槐东路88号", "year_built": 1992,
        "ownership_type": "work_unit", "property_management": "work_unit", "exclusion_reason": "",
        "investment_estimate": "3000000", "programme_status": "implementing", "batch_year": 2021,
        "latitude": "", "longitude": "", "notes": "",
    }
    response = officer_client.post(reverse("communities:edit", args=["DC001"]), data)
    assert response.status_code == 302
    assert Community.objects.get(code="DC001").address == "槐东路88号"
    entry = AuditEntry.objects.get(object_type="communities.community", action="update")
    assert entry.actor_name == "dongcheng" and entry.after["address"] == "槐东路88号"
    page = officer_client.get(reverse("communities:detail", args=["DC001"])).content.decode()
    assert "槐东路88号" in page and "dongcheng" in page


def test_invalid_edit_keeps_what_the_user_typed(officer_client, east_community, dongcheng):
    data = {"name": "康杰中学家属院", "subdistrict": dongcheng.pk, "address": "我输入的地址", "year_built": 1850,
            "ownership_type": "work_unit", "property_management": "work_unit", "programme_status": "reserve"}
    response = officer_client.post(reverse("communities:edit", args=["DC001"]), data)
    assert response.status_code == 200
    assert "我输入的地址" in response.content.decode()
    assert Community.objects.get(code="DC001").year_built == 1992


def test_building_add_and_delete_are_recorded(officer_client, east_community):
    url = reverse("communities:building_create", args=["DC001"])
    response = officer_client.post(url, {"name": "3号楼", "floors": 5, "stairwell_units": 2, "households": 30,
                                         "floor_area_m2": "2700", "structure": "brick_concrete"})
    assert response.status_code == 302
    building = east_community.buildings.get(name="3号楼")
    officer_client.post(reverse("communities:building_delete", args=["DC001", building.pk]))
    assert not east_community.buildings.filter(name="3号楼").exists()
    actions = list(AuditEntry.objects.filter(object_type="communities.building").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete"]


def test_resident_cannot_see_census_or_import(client, resident, east_community):
    client.force_login(resident)
    assert client.get(reverse("communities:detail", args=["DC001"])).status_code == 404
    assert client.get(reverse("communities:import")).status_code == 403


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Tasks are queued after the request's transaction commits; in a test, run them when the request ends."""

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


@pytest.fixture
def upload(run_tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def send(client, content, name="census.xlsx"):
        return run_tasks(client, reverse("communities:import"), {"file": SimpleUploadedFile(name, content)})

    return send


def test_upload_shows_a_preview_then_imports_on_confirm(bureau_client, dongcheng, upload, run_tasks):
    content = workbook_bytes([["N001", "新小区", "东城", 1995]], [["N001", "1号楼", 5, 40, 3200]])
    response = upload(bureau_client, content)
    assert response.status_code == 302
    job = CensusImportJob.objects.get()
    assert job.status == "checked" and job.result["totals"]["community"]["create"] == 1
    assert not Community.objects.filter(code="N001").exists()  # nothing written before confirming
    page = bureau_client.get(response["Location"]).content.decode()
    assert 'id="confirm-import"' in page
    response = run_tasks(bureau_client, reverse("communities:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    assert Community.objects.get(code="N001").buildings.count() == 1
    job.refresh_from_db()
    assert job.status == "imported"
    # Confirming twice does not import twice.
    run_tasks(bureau_client, reverse("communities:import_confirm", args=[job.pk]))
    assert AuditEntry.objects.filter(object_type="communities.community").count() == 1


def test_progress_fragment_is_served_to_htmx(bureau_client, dongcheng, upload):
    upload(bureau_client, workbook_bytes([["N001", "新小区", "东城", 1995]]))
    job = CensusImportJob.objects.get()
    response = bureau_client.get(reverse("communities:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="import-job"' in page and "<html" not in page


def test_upload_with_a_bad_cell_lists_it_and_writes_nothing(bureau_client, dongcheng, upload):
    response = upload(bureau_client, workbook_bytes([["N001", "新小区", "东城", "一九九五"]]))
    page = bureau_client.get(response["Location"]).content.decode()
    assert "建成年份" in page and 'id="error-table"' in page and "confirm-import" not in page
    assert CensusImportJob.objects.get().status == "rejected"
    assert not Community.objects.exists()


def test_upload_of_a_renamed_text_file_is_refused(bureau_client, upload):
    response = upload(bureau_client, b"not a workbook")
    assert response.status_code == 200 and response.context["form"].errors
    assert not CensusImportJob.objects.exists()


def test_another_users_import_cannot_be_seen_or_confirmed(bureau_client, officer, client, dongcheng, upload):
    upload(bureau_client, workbook_bytes([["N001", "新小区", "东城", 1995]]))
    job = CensusImportJob.objects.get()
    client.force_login(officer)
    assert client.get(reverse("communities:import_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("communities:import_confirm", args=[job.pk])).status_code == 404
    assert not Community.objects.exists()


def test_template_download_is_a_workbook(client):
    response = client.get(reverse("communities:template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_interface_speaks_chinese_by_default_and_english_on_request(bureau_client, east_community):
    page = bureau_client.get(reverse("communities:list")).content.decode()
    assert "小区" in page
    bureau_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = bureau_client.get(reverse("communities:list")).content.decode()
    assert "Communities" in page


def test_history_reads_like_an_official_writes(officer_client, bureau, east_community, dongcheng):
    import datetime as dt

    from django.utils import timezone

    from gaizao.votes import services as votes

    data = {
        "name": "康杰中学家属院", "subdistrict": dongcheng.pk, "address": "", "year_built": 1992,
        "ownership_type": "work_unit", "property_management": "work_unit", "exclusion_reason": "",
        "investment_estimate": "3500000", "programme_status": "implementing", "batch_year": 2021,
        "latitude": "", "longitude": "", "notes": "",
    }
    assert officer_client.post(reverse("communities:edit", args=["DC001"]), data).status_code == 302
    opens = timezone.make_aware(dt.datetime(2021, 11, 25, 9, 30))
    votes.create_vote(bureau, east_community, title="改造方案表决", opens_at=opens,
                      closes_at=opens + dt.timedelta(days=14))
    history = officer_client.get(reverse("communities:detail", args=["DC001"])).content.decode()
    history = history.split('id="history"')[1]
    assert "3,000,000 → 3,500,000" in history  # thousands separators, not 3000000.00
    assert "2021年11月25日 09:30" in history  # the vote's opening, in Chinese and local time
    assert "2021-11-25T" not in history and "quorum area" not in history


def test_history_names_a_plans_work_items_and_funding(bureau_client, bureau, east_community):
    from decimal import Decimal

    from gaizao.catalog.models import WorkItem
    from gaizao.planning import plans

    plan = plans.propose_plan(bureau, east_community)
    roof = WorkItem.objects.get(code="JC04")
    plans.update_plan(bureau, plan, quantities={roof.pk: Decimal("1234.5")},
                      funding={"central_subsidy": Decimal("1500000")})
    history = bureau_client.get(reverse("communities:detail", args=["DC001"])).content.decode()
    history = history.split('id="history"')[1]
    assert "屋面防水（JC04）</strong>:" in history and "→ 1,234.5<" in history
    assert "中央补助资金</strong>: — → 1,500,000" in history
    assert "item JC04" not in history and "central_subsidy" not in history


def _located(subdistrict, code, name, lat, lng, **extra):
    return make_community(subdistrict, code, name, latitude=Decimal(lat), longitude=Decimal(lng), **extra)


def test_the_lists_map_is_fetched_with_the_lists_filters(bureau_client, east_community, xicheng):
    _located(xicheng, "XC010", "新城小区", "35.030", "111.010", year_built=2008)
    page = bureau_client.get(reverse("communities:list"), {"eligible": "true"})
    # The page carries only the map's settings; the points come from the map's own address with the filters.
    assert page.context["map"]["url"] == f"{reverse('communities:map')}?eligible=true"
    assert b'"points"' not in page.content
    found = bureau_client.get(page.context["map"]["url"]).json()
    assert found == {"grouped": False, "points": [
        {"code": "DC001", "name": "康杰中学家属院", "lat": 35.026, "lng": 111.007, "eligible": True}]}


def test_a_map_of_many_communities_shows_one_circle_per_subdistrict(bureau_client, monkeypatch, east_community,
                                                                     dongcheng, xicheng):
    from gaizao.communities import views

    _located(dongcheng, "DC010", "东城二号院", "35.030", "111.011")
    _located(xicheng, "XC010", "新城小区", "35.040", "111.020", year_built=2008)
    monkeypatch.setattr(views, "MAP_POINT_LIMIT", 2)
    found = bureau_client.get(reverse("communities:map"), {"sort": "-households", "page": "2"}).json()
    assert found["grouped"] is True
    east, west = found["points"]
    assert (east["count"], east["eligible"], west["count"], west["eligible"]) == (2, 2, 1, 0)
    assert east["name"] == "盐湖区 东城办事处"
    assert (east["lat"], east["lng"]) == (pytest.approx(35.028), pytest.approx(111.009))
    # Each circle opens its sub-district's rows, with the other filters kept and the page number dropped.
    rows = bureau_client.get(east["url"])
    assert [c.code for c in rows.context["page"]] == ["DC001", "DC010"]
    assert "sort=-households" in east["url"] and "page=" not in east["url"]
    # Under the limit the same communities are dots again.
    monkeypatch.setattr(views, "MAP_POINT_LIMIT", 3)
    assert bureau_client.get(reverse("communities:map")).json()["grouped"] is False


def test_an_officers_map_holds_only_their_subdistrict(officer_client, east_community, xicheng):
    _located(xicheng, "XC010", "新城小区", "35.040", "111.020")
    found = officer_client.get(reverse("communities:map")).json()
    assert [p["code"] for p in found["points"]] == ["DC001"]
