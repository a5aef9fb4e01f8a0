"""A department's account stays on the joint meeting's pages: the allow-list answers 403 elsewhere, also to a
system using the member's API token, while the residents' public pages answer it as anyone."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token

from gaizao.coordination.models import DepartmentMember


@pytest.mark.parametrize("url", ["/summary/", "/communities/", "/works/", "/works/bulletin/", "/works/dashboard/",
                                 "/feedback/", "/r/manage/", "/catalog/", "/api/communities/", "/api/households/",
                                 "/api/projects/"])
def test_a_department_member_is_refused_every_other_page(water, east_community, url):
    client = Client()
    client.force_login(water)
    assert client.get(url).status_code == 403


def test_the_token_of_a_department_member_opens_only_the_joint_meetings_api(water, water_item, east_community):
    token = Token.objects.create(user=water)
    client = Client(headers={"authorization": f"Token {token.key}"})
    assert client.get("/api/communities/").status_code == 403
    assert client.get("/api/coordination-items/").json()["count"] == 1


def test_the_residents_public_pages_answer_a_department_as_anyone(water, east_community):
    client = Client()
    client.force_login(water)
    assert client.get(f"/r/{east_community.code}/").status_code == 200  # the entry page
    assert client.get(f"/r/{east_community.code}/home/").status_code == 302  # to the entry page: no household


def test_only_a_department_staff_account_is_a_departments_member(officer, water_company):
    with pytest.raises(ValidationError, match="Department staff"):
        DepartmentMember(user=officer, department=water_company).full_clean()
