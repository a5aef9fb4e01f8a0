import re

from django.urls import reverse

from conftest import PASSWORD


def test_repeated_wrong_passwords_lock_the_login(client, bureau):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "bureau", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "bureau", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_after_a_few_mistakes_still_works(client, bureau):
    for _attempt in range(2):
        client.post(reverse("login"), {"username": "bureau", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "bureau", "password": PASSWORD})
    assert response.status_code == 302


def test_pages_carry_a_csp_without_inline_script(client, bureau, east_community):
    client.force_login(bureau)
    for url in ("/summary/", "/communities/", "/communities/DC001/", "/catalog/", "/works/", "/planning/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", response.content.decode())
        assert scripts == [], url
