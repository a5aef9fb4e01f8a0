"""The error pages: each status says why and what to do next, in the user's language; a resident's version on the
phone pages names whom to call; a refused request is logged on one line; a server error's page needs nothing."""

import datetime
import json
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from gaizao import errors
from gaizao.core import clock


def _in(language, text):
    with translation.override(language):
        return gettext(text)


def _page(response):
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_staff_404_says_why_and_what_to_do_in_the_users_language(client, bureau, language):
    client.force_login(bureau)
    response = client.get("/communities/NOPE/", HTTP_ACCEPT_LANGUAGE=language)
    page = _page(response)
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page
    assert _in(language, "Page not found") in page
    assert _in(language, "Check the address, or start again from your home page.") in page
    assert 'class="navbar' in page  # the site's layout, with its menu
    assert "No Community matches" not in page  # Django's own words never reach the user


def test_a_staff_403_says_what_to_ask_for(client, contractor):
    client.force_login(contractor)
    response = client.get("/votes/")
    page = _page(response)
    assert response.status_code == 403
    assert gettext("You may not open this page") in page
    assert gettext("If you need it for your work, ask the district housing bureau to change your role or area.") \
        in page
    assert gettext("Log in with another account") in page


def test_a_403_with_a_services_sentence_shows_that_sentence(rf_user_request):
    refusal = gettext("You may only report on your own company's projects.")
    response = errors.permission_denied(rf_user_request("/works/P1/report/"), PermissionDenied(refusal))
    assert response.status_code == 403 and refusal in _page(response)


def test_a_403_is_logged_as_one_warning_line_without_a_traceback(client, contractor, caplog):
    client.force_login(contractor)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/votes/").status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1 and refused[0].levelname == "WARNING"
    assert refused[0].exc_info is None
    assert "Forbidden (Permission denied): /votes/" in caplog.text and "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback_in_the_log(caplog):
    from gaizao.core.logs import ClientErrorsOnOneLine

    try:
        raise ValueError("boom")
    except ValueError as error:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (),
                                   (ValueError, error, error.__traceback__))
    record.status_code = 500
    assert ClientErrorsOnOneLine().filter(record) and record.exc_info is not None


def test_a_400_says_what_was_wrong(client, bureau):
    client.force_login(bureau)
    response = client.get("/communities/a%00b/")
    page = _page(response)
    assert response.status_code == 400
    assert gettext("The request could not be read") in page
    assert gettext("The address contains a character that is not allowed.") in page
    assert gettext("Go back, reload the page and try again.") in page


def test_an_expired_form_gets_the_403_page_saying_to_reload():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert gettext("The form had expired or came from another page. Reload the page and send it again.") \
        in _page(response)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_resident_with_a_bad_qr_code_gets_the_large_type_page_saying_whom_to_call(client, east_community,
                                                                                     language):
    response = client.get("/r/NOPE/", HTTP_ACCEPT_LANGUAGE=language)
    page = _page(response)
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page
    assert 'class="resident"' in page and "residents.css" in page and 'class="navbar' not in page
    assert _in(language, "This page was not found") in page
    assert _in(language, "Scan the QR code in your stairwell again.") in page
    assert _in(language, "Call or visit your community's residents' committee, or the sub-district office. They can "
                         "give you the right QR code and a new access code.") in page


def test_a_resident_page_of_a_known_community_names_its_committee_and_office(client, east_community, member):
    for path in ("/r/DC001/nope/", "/votes/r/DC001/nope/", "/feedback/r/DC001/nope/",
                 "/feedback/notices/r/DC001/nope/"):
        response = client.get(path)
        page = _page(response)
        assert response.status_code == 404, path
        assert 'class="resident"' in page, path
        assert "康杰中学家属院" in page and "康杰临时管委会" in page and "东城办事处" in page, path
        assert 'href="/r/DC001/"' in page


def test_the_staff_pages_under_r_manage_keep_the_staff_layout(client, bureau):
    client.force_login(bureau)
    response = client.get("/r/manage/NOPE/")
    assert response.status_code == 404 and 'class="navbar' in _page(response)


@pytest.mark.parametrize("status", [400, 403])
def test_a_residents_400_and_403_use_the_resident_layout(rf_user_request, east_community, status):
    handler = errors.bad_request if status == 400 else errors.permission_denied
    response = handler(rf_user_request("/r/DC001/home/"), None)
    page = _page(response)
    assert response.status_code == status and 'class="resident"' in page
    assert gettext("Call or visit your residents' committee:") in page and "东城办事处" in page
    expected = "The request could not be read" if status == 400 else "This page is not open to you"
    assert gettext(expected) in page


def test_the_error_pages_carry_the_platforms_day(client, east_community):
    clock.remember(datetime.date(2021, 11, 25))
    for path in ("/r/NOPE/", "/no-such-page/"):
        assert 'id="platform-day"' in _page(client.get(path)), path


@pytest.mark.parametrize("path,resident", [("/communities/", False), ("/r/DC001/home/", True)])
def test_a_500_needs_neither_the_database_nor_the_context_processors(path, resident, monkeypatch):
    # No database fixture: any query would fail the test. No session and no user: the middleware may have failed.
    request = RequestFactory().get(path)
    clock.remember(datetime.date(2021, 11, 25))
    response = errors.server_error(request)
    page = _page(response)
    assert response.status_code == 500
    assert gettext("Something went wrong on our side") in page and 'id="platform-day"' in page
    call = "If it keeps happening, call your residents' committee or the sub-district office."
    assert (gettext(call) in page) is resident
    assert ("font-size: 1.25rem" in page) is resident

    def broken():
        raise DatabaseError("the database is down")

    monkeypatch.setattr(clock, "set_day", broken)
    response = errors.server_error(request)
    assert response.status_code == 500 and 'id="platform-day"' not in _page(response)


def test_a_500_under_the_api_is_json():
    response = errors.server_error(RequestFactory().get("/api/projects/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    reason = gettext("The server could not finish this page. It is not your mistake, and the error has been recorded.")
    assert json.loads(response.content) == {"detail": reason}


def test_a_server_error_in_a_view_gets_the_500_page(client, bureau, monkeypatch):
    from gaizao.reports import views

    def failing(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "district_summary", failing)
    client.force_login(bureau)
    client.raise_request_exception = False
    response = client.get("/summary/")
    assert response.status_code == 500 and gettext("Something went wrong on our side") in _page(response)


@pytest.fixture
def rf_user_request(db):
    """A request as the handlers get it, with an anonymous user (the context processors read it)."""
    from django.contrib.auth.models import AnonymousUser

    def make(path):
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        return request

    return make
