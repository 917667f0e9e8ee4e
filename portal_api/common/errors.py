"""One error shape for the whole API: {"error": {"code", "message", "fields"}}."""

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ServiceError(Exception):
    """A business rule refused the action. Services raise it; the API answers 400 (or the
    given status) with the code and message."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, code: str = "invalid", fields: dict | None = None,
                 status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        if status_code is not None:
            self.status_code = status_code


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in value] if isinstance(value, list) else _flatten(value)
            for key, value in detail.items()
        }
    return {}


def error_response(*, status_code: int, code: str, message: str, fields: dict | None = None,
                   headers: dict | None = None) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status_code,
        headers=headers,
    )


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return error_response(status_code=exc.status_code, code=exc.code, message=exc.message,
                              fields=exc.fields)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        return error_response(
            status_code=400, code="invalid", fields=fields,
            message=" ".join(exc.messages) if not fields else _("Certains champs sont invalides."),
        )
    if isinstance(exc, RequestDataTooBig):
        # Read past DATA_UPLOAD_MAX_MEMORY_SIZE (common/middleware.py refuses most earlier).
        from .middleware import human_size

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(
            status_code=413, code="request_too_large",
            message=_("La requête dépasse la taille maximale acceptée (%(max)s).")
            % {"max": human_size(limit)})
    if isinstance(exc, SuspiciousOperation):
        # A request Django refuses to parse (too many fields or files…): Django would answer
        # its HTML 400 page.
        return error_response(status_code=400, code="bad_request",
                              message=_("La requête est invalide ou trop complexe."))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        message = (ngettext("Trop de requêtes : réessayez dans %(wait)d seconde.",
                            "Trop de requêtes : réessayez dans %(wait)d secondes.", wait)
                   % {"wait": wait} if wait else _("Trop de requêtes : réessayez plus tard."))
        exc = exceptions.Throttled(detail=message)  # DRF would append its own wait text
        exc.wait = wait  # → Retry-After

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = _flatten(detail)
            non_field = fields.pop("non_field_errors", None)
            message = " ".join(non_field) if non_field else _("Certains champs sont invalides.")
        else:
            fields = {}
            message = " ".join(str(m) for m in detail)
        return error_response(status_code=400, code="invalid", message=message, fields=fields,
                              headers=headers)
    detail = getattr(exc, "detail", "")
    code = detail.code if hasattr(detail, "code") else "error"
    return error_response(status_code=response.status_code, code=str(code), message=str(detail),
                          headers=headers)


def api_not_found(request, *args, **kwargs):
    """Any /api/v1/ path no endpoint matches (`/orders/1/lines/abc/`): the API's 404 in its
    error shape, rather than the website's HTML page (Wagtail's catch-all, or its CSRF page
    for a write)."""
    from django.http import JsonResponse

    return JsonResponse({"error": {"code": "not_found", "message": _("Introuvable."),
                                   "fields": {}}}, status=404)
