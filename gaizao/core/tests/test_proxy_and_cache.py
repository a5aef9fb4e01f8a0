"""Behind nginx: the lockout and the log see the client's address; several workers share one cache."""

import os
import socket
import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD


def login(client, password, forwarded):
    return client.post(reverse("login"), {"username": "bureau", "password": password},
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_the_lockout_is_per_client_address(client, bureau):
    for _attempt in range(5):
        login(client, "wrong", "203.0.113.7")
    assert login(client, PASSWORD, "203.0.113.7").status_code == 429
    # Another client behind the same nginx is not locked out by the first one's mistakes ...
    assert login(client, PASSWORD, "198.51.100.20").status_code == 302
    client.logout()
    # ... and the first cannot escape by writing another address in front of the one nginx appended.
    assert login(client, PASSWORD, "198.51.100.20, 203.0.113.7").status_code == 429


def test_without_proxy_count_forwarded_headers_are_ignored(client, bureau):
    for _attempt in range(5):
        login(client, "wrong", "203.0.113.7")
    assert login(client, PASSWORD, "198.51.100.20").status_code == 429  # all come from 127.0.0.1


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "gaizao.settings", **env}
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=environment,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_cache_url_shares_counters_between_processes():
    env = {"CACHE_URL": "redis://127.0.0.1:6379/15"}
    first = _run("from django.core.cache import cache; cache.set('shared-test', 41); cache.incr('shared-test')", **env)
    assert first.returncode == 0, first.stderr
    second = _run("from django.core.cache import cache; print(cache.get('shared-test')); cache.delete('shared-test')",
                  **env)
    assert second.stdout.strip() == "42", second.stderr


def test_a_wrong_cache_url_stops_start_up_with_a_clear_message():
    result = _run("", CACHE_URL="memcached://x")
    assert result.returncode != 0 and "CACHE_URL must be a redis:// address" in result.stderr


@pytest.mark.parametrize("url", ["/communities/a%00b/", "/communities/?q=a%00b", "/works/?q=%00"])
def test_a_nul_character_in_the_address_is_refused_not_a_server_error(client, bureau, url):
    client.force_login(bureau)
    response = client.get(url)
    assert response.status_code == 400
    assert "不允许" in response.content.decode()
