"""The report API answers a wrong quantity with a sentence naming the item and what to write, never Python's text."""

import pytest
from django.utils.translation import gettext

from gaizao.works.models import ProgressEntry
from gaizao.works.tests.conftest import item

URL = "/api/projects/P1/report/"


@pytest.fixture
def reporting(client, contractor, project):
    client.force_login(contractor)
    return client


def _post(client, quantities, language="zh-hans"):
    return client.post(URL, {"date": "2021-06-01", "quantities": quantities}, content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE=language)


def test_a_key_that_is_not_an_item_id_gets_a_sentence_not_pythons_text(reporting):
    response = _post(reporting, {"abc": 1})
    assert response.status_code == 400
    body = response.json()
    assert "invalid literal" not in response.content.decode()
    assert body == {"quantities": {"abc": [
        gettext("“%(key)s” is not an item id: write the id of one of the project's items (a whole number, as in "
                "the project's item list), for example {\"12\": 3.5}.") % {"key": "abc"}]}}
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize("key", ["-1", "0", "1.5", "99999999999999999999999", "１２", " "])
def test_every_kind_of_wrong_key_is_refused_with_a_400(reporting, key):
    response = _post(reporting, {key: 1})
    assert response.status_code == 400 and list(response.json()["quantities"]) == [key]


def test_an_item_of_another_project_is_named(reporting, rival_project):
    other = item(rival_project, "塑钢窗更换")
    response = _post(reporting, {str(other.pk): 1})
    assert response.status_code == 400
    assert response.json()["quantities"][str(other.pk)] == [
        gettext("Project %(project)s has no item %(id)s: use the ids in the project's item list.")
        % {"project": "P1", "id": other.pk}]


@pytest.mark.parametrize("value", ["lots", "1.234", True, [1], "12345678901"])
def test_a_wrong_quantity_names_the_item_and_says_how_to_write_it(reporting, project, value):
    windows = item(project, "塑钢窗更换")
    response = _post(reporting, {str(windows.pk): value})
    assert response.status_code == 400
    message = response.json()["quantities"][str(windows.pk)][0]
    assert message.startswith("塑钢窗更换")
    assert message == gettext("%(item)s: write the quantity done since the last report as a number with at most 2 "
                              "decimals and 10 digits before the point, for example 3.5.") % {"item": "塑钢窗更换"}


def test_every_wrong_entry_is_listed_at_once_in_the_users_language(reporting, project):
    windows = item(project, "塑钢窗更换")
    response = _post(reporting, {"abc": 1, str(windows.pk): "x"}, language="en")
    assert response.status_code == 400
    assert set(response.json()["quantities"]) == {"abc", str(windows.pk)}
    assert response.json()["quantities"]["abc"][0].startswith("“abc” is not an item id")


def test_quantities_that_are_not_a_mapping_are_refused_with_a_sentence(reporting):
    for wrong in ([1, 2], "12=3", 5):
        response = _post(reporting, wrong)
        assert response.status_code == 400
        assert response.json() == {"quantities": [gettext('Write the quantities as item id → quantity, for example '
                                                          '{"12": 3.5}.')]}


def test_good_quantities_still_report(reporting, project):
    windows = item(project, "塑钢窗更换")
    assert _post(reporting, {str(windows.pk): "3.5"}).status_code == 201
    assert ProgressEntry.objects.get().quantity == 3.5
