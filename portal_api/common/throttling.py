"""Rate limits: DRF throttles for the API, and the same counts for what is not a DRF view
(the login and password-reset forms) or counts only failures (bad API tokens).

Every rate is a setting, REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope] ("20/hour"), read
at each request; the counts live in the cache named by settings.THROTTLE_CACHE (Redis, shared
by every web node, when REDIS_URL is set). Scopes (docs/operations.md, "Rate limits"):

- `anon`, `user`: every API call, per client IP / per user;
- `ticket_create`, `upload`, `invitation`: stricter, per user, on the actions of a view that
  name them in `throttle_scopes` ({action: scope});
- `token_failure`: requests with a wrong API token, per IP;
- `login`: failed logins (portal and admin), per IP — on top of django-axes' lockout per
  account;
- `password_reset`: reset requests (portal and admin), per IP and per address.

A throttled API call is a 429 in the API's error shape with `Retry-After`; a throttled form
is a 429 page saying when to try again.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, throttling
from rest_framework.authentication import TokenAuthentication
from rest_framework.settings import api_settings


def throttle_cache():
    return caches[getattr(settings, "THROTTLE_CACHE", "default")]


def rate_of(scope: str) -> str:
    # DRF binds SimpleRateThrottle.THROTTLE_RATES once, at import: read the setting each time
    # instead, so that a changed setting (a test's override) applies.
    try:
        return api_settings.DEFAULT_THROTTLE_RATES[scope]
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for scope {scope!r}"
        ) from exc


def client_ip(request) -> str:
    """The client's address as DRF's throttles see it: REMOTE_ADDR, or the address that the
    trusted proxies (REST_FRAMEWORK["NUM_PROXIES"]) put in X-Forwarded-For."""
    return throttling.BaseThrottle().get_ident(request) or "unknown"


class _FromSettings:
    """Rate from the settings at each request, counts in the throttle cache."""

    @property
    def cache(self):
        return throttle_cache()

    def get_rate(self):
        return rate_of(self.scope)


class AnonThrottle(_FromSettings, throttling.AnonRateThrottle):
    """Every API call of an anonymous client, per IP."""


class UserThrottle(_FromSettings, throttling.UserRateThrottle):
    """Every API call of a user (session or token), per user."""


class ActionThrottle(_FromSettings, throttling.SimpleRateThrottle):
    """The stricter rate of an action: the view's `throttle_scopes` maps an action (a
    viewset's `create`, `documents`…, or an APIView's lower-case method) to its scope. Per
    user, per IP for an anonymous client."""

    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self):
        pass  # the scope, hence the rate, is known only with the view

    def allow_request(self, request, view):
        scopes = getattr(view, "throttle_scopes", None) or {}
        action = getattr(view, "action", None) or request.method.lower()
        self.scope = scopes.get(action)
        if self.scope is None:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class RateLimit:
    """A sliding window of hits under one scope's rate, per identity (an IP, an address), in
    the throttle cache: DRF's throttle algorithm for what is not a DRF view."""

    def __init__(self, scope: str):
        self.scope = scope
        self.num_requests, self.duration = throttling.SimpleRateThrottle.parse_rate(
            None, rate_of(scope))

    def _key(self, ident: str) -> str:
        # Identities may be e-mail addresses: hashed, for a short key free of odd characters.
        digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
        return f"throttle_{self.scope}_{digest}"

    def _history(self, ident: str, now: float) -> list[float]:
        history = throttle_cache().get(self._key(ident), [])
        return [at for at in history if at > now - self.duration]

    def wait(self, ident: str) -> int | None:
        """Seconds before the next attempt is allowed, or None if it is allowed now."""
        now = time.time()
        history = self._history(ident, now)  # oldest first
        if len(history) < self.num_requests:
            return None
        # Allowed again once enough of the window's hits have aged out of it.
        oldest_to_expire = history[len(history) - self.num_requests]
        return max(1, math.ceil(self.duration - (now - oldest_to_expire)))

    def hit(self, ident: str) -> None:
        now = time.time()
        history = [*self._history(ident, now), now]
        throttle_cache().set(self._key(ident), history[-self.num_requests:], self.duration)


class PortalTokenAuthentication(TokenAuthentication):
    """Token authentication whose failures are counted per IP (scope `token_failure`): past
    the rate, every request with a token is a 429 before the token is even looked up, so that
    guessing tokens is slowed down."""

    def authenticate(self, request):
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if auth.split(" ", 1)[0].lower() != self.keyword.lower():
            return None  # no token: the next authentication class decides
        limit = RateLimit("token_failure")
        ip = client_ip(request)
        wait = limit.wait(ip)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            limit.hit(ip)
            raise


# Django forms (not DRF): the view names throttled and their scope.
FORM_SCOPES = {
    "accounts:login": "login",
    "wagtailadmin_login": "login",
    "accounts:password_reset": "password_reset",
    "wagtailadmin_password_reset": "password_reset",
}


def login_failed(sender, credentials=None, request=None, **kwargs):
    """user_login_failed: one more failure for this client IP (common/apps.py connects it)."""
    if request is not None and hasattr(request, "META"):
        RateLimit("login").hit(client_ip(request))


def _throttled_page(request, wait: int, message: str):
    minutes = max(1, math.ceil(wait / 60))
    response = TemplateResponse(request, "errors/throttled.html", {
        "message": message, "minutes": minutes,
    }, status=429)
    response["Retry-After"] = str(wait)
    return response


class FormThrottleMiddleware:
    """The login and password-reset forms (portal and Wagtail admin) past their rate: a 429
    page with Retry-After, before the form is processed. Logins count failures only (by
    client IP; django-axes locks the account itself); reset requests count every request, by
    client IP and by address, so that one address cannot be flooded with e-mails."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        scope = FORM_SCOPES.get(request.resolver_match.view_name)
        if scope is None:
            return None
        limit = RateLimit(scope)
        ip = client_ip(request)
        if scope == "login":
            wait = limit.wait(ip)
            if wait is not None:
                return _throttled_page(request, wait, _(
                    "Trop de tentatives de connexion ont échoué depuis votre adresse réseau."))
            return None
        from portal_api.accounts.identifiers import login_identifier

        idents = [ip, f"address:{login_identifier(request.POST.get('email'))}"]
        waits = [wait for wait in map(limit.wait, idents) if wait is not None]
        if waits:
            return _throttled_page(request, max(waits), _(
                "Trop de demandes de réinitialisation du mot de passe."))
        for ident in idents:
            limit.hit(ident)
        return None
