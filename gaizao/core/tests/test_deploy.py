"""Production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys


def test_production_settings_pass_check_deploy(tmp_path):
    env = {**os.environ, "HTTPS": "true", "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(60),
           "ALLOWED_HOSTS": "gaizao.example.gov.cn", "DJANGO_SETTINGS_MODULE": "gaizao.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright; never in production
    result = subprocess.run([sys.executable, "-m", "gaizao", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_health_endpoint_answers(client, db):
    response = client.get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


def test_each_request_logs_one_line_with_its_id(client, db, caplog):
    with caplog.at_level("INFO", logger="gaizao.request"):
        response = client.get("/health/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    [record] = [r for r in caplog.records if r.name == "gaizao.request"]
    assert record.request_id == "abc123" and "GET /health/ 200" in record.getMessage()


def test_the_browsers_favicon_request_finds_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("gaizao/favicon.svg")
