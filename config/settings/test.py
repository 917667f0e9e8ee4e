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
