"""The live server that .ci/schemathesis.py fuzzes: the production settings (DEBUG off, the
same middleware, headers and error pages), served on loopback over plain HTTP, e-mails kept
in memory. The runner sets DATABASE_URL (its own database), REDIS_URL (its own Redis
database, when CI has Redis) and PRIVATE_STORAGE_ROOT (a throw-away folder)."""

import os

os.environ.setdefault("SECRET_KEY", "fuzz-only-not-secret-atelier-portal")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Plain HTTP on loopback: no redirect to https.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from .production import *  # noqa: E402, F403

# Thousands of requests file tickets and invite colleagues: their e-mails go nowhere.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Thousands of calls a minute from one address and one user: the rate limits stay in the
# request path (their classes run) but so high that they never answer 429, or the fuzzing
# would test the throttle instead of the endpoints. The limits have their own tests.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        scope: "1000000/hour"
        for scope in REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})  # noqa: F405
    },
}
