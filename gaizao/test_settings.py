"""Settings for the test suite: the real settings, with background tasks run at once in the same process."""

from gaizao.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Hashing with Argon2 on every login would make the suite slow for no benefit.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
