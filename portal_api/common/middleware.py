"""Request-level guards: the API's body size, the Content-Security-Policy."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"


def human_size(size: int) -> str:
    """A size in French units (Mo above a megabyte, Ko below)."""
    if size >= 1024 * 1024:
        value = f"{size / (1024 * 1024):.1f}".replace(".0", "").replace(".", ",")
        return _("%(size)s Mo") % {"size": value}
    return _("%(size)s Ko") % {"size": max(1, round(size / 1024))}


def api_body_limit(request) -> int:
    """The largest body the API reads: with files (multipart), settings.UPLOAD_MAX_REQUEST_BYTES
    (the most files of the largest size, and the form fields); otherwise (JSON)
    DATA_UPLOAD_MAX_MEMORY_SIZE, Django's own limit of a body held in memory."""
    if request.content_type == "multipart/form-data":
        return settings.UPLOAD_MAX_REQUEST_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def request_too_large(limit: int) -> JsonResponse:
    """413 in the API's error shape (errors.py), naming the limit."""
    message = _("La requête dépasse la taille maximale acceptée (%(max)s).") % {
        "max": human_size(limit)}
    return JsonResponse({"error": {"code": "request_too_large", "message": message,
                                   "fields": {}}}, status=413)


class ApiRequestSizeMiddleware:
    """On /api/, a body over the limit is refused with a 413 in the API's error shape before
    anything reads it (Django would otherwise stream it to a temporary file, or answer its
    HTML 400 page when a form body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = api_body_limit(request)
            if length > limit:
                return request_too_large(limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A body without a (truthful) Content-Length that turns out too large when read.
        if isinstance(exception, RequestDataTooBig) and request.path_info.startswith(API_PREFIX):
            return request_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: settings.CONTENT_SECURITY_POLICY everywhere,
    CONTENT_SECURITY_POLICY_ADMIN under /admin/ (the Wagtail admin's own markup needs more;
    the reasons are in the settings)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (not report_only and parts.config is None
                and request.path_info.startswith(ADMIN_PREFIX)):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY): Django has no setting
    for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
