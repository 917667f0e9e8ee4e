"""Tests: SQLite by default, PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["*"]
# Tests decide per case whether tasks go through the broker; the eager default keeps the
# unit tests synchronous.
CELERY_TASK_ALWAYS_EAGER = True

# Stored files of a test run go to a throw-away folder, not the developer's var/.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="atelier-media-")
STORAGES["private"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="atelier-private-"), "base_url": None},
}

# Rate-limit counts in a cache of their own, emptied before each test (tests/conftest.py) so
# that one test's calls never throttle another's; never Redis, which emptying would flush.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    **(CACHES if REDIS_URL else {}),  # noqa: F405
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                 "LOCATION": "throttle"},
}
THROTTLE_CACHE = "throttle"
