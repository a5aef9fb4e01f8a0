"""Typed readers for settings taken from the environment; a bad value stops start-up with a clear message."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(workdir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept beside the SQLite file.

    A fixed key in the code would be public; a new key on every start would log everybody out.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = workdir / ".gaizao-secret-key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    try:
        path.write_text(key)
        path.chmod(0o600)
    except OSError:
        pass  # a read-only working directory still runs, with a per-process key
    return key


def replica_database(url: str, primary: dict) -> dict:
    """DATABASES["replica"] from GAIZAO_REPLICA_URL: a streaming replica of the primary's PostgreSQL."""
    import dj_database_url

    config = dj_database_url.parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0))
    if not config["ENGINE"].endswith("postgresql") or not primary["ENGINE"].endswith("postgresql"):
        # The lag check asks PostgreSQL's replication functions; the address itself may hold a password.
        raise ImproperlyConfigured("GAIZAO_REPLICA_URL must be the postgres:// address of a streaming replica of "
                                   "DATABASE_URL's PostgreSQL database")
    # A replica that does not answer must not hold a page up for long: the reports then read from the primary.
    config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # In tests the replica serves the primary's test database, which streams to it like any other.
    config["TEST"] = {"MIRROR": "default"}
    return config
