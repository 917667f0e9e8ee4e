"""Production: no default secret, host or database; missing ones stop the start-up."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


SECRET_KEY = _required("SECRET_KEY")
_required("ALLOWED_HOSTS")
_required("DATABASE_URL")
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# HSTS: browsers use HTTPS only for this long (default one year) once they have seen it; set
# SECURE_HSTS_SECONDS low (300) for the first deployment, and raise it once HTTPS works.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
# The portal's own subdomains (if any) are HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
# Preloading is a commitment for the whole registrable domain (example.fr and every
# subdomain), which a portal on portail.example.fr cannot make alone: off unless asked.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)  # noqa: F405
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for the preload flag: it does not apply (see above).
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind the TLS proxy that docs/operations.md asks for: the client IP of the rate limits is
# the one the proxy saw (X-Forwarded-For), not the proxy's own address.
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))  # noqa: F405
# SESSION_ENGINE comes from base.py: database sessions, read through Redis (REDIS_URL).
