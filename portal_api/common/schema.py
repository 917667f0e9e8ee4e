"""The OpenAPI schema of /api/v1/ (drf-spectacular), made exact in one place.

`PortalAutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to every operation what the
views do not say one by one:
- the error answers, all in the shape of errors.py (`{"error": {"code", "message", "fields"}}`),
  by what the operation can meet: 401 (no or bad credentials), 403 (a rule refuses, or CSRF),
  404 (an id not in the user's scope, a page past the end), 400 (a body, a filter or a
  business rule refused), 409 (a state that forbids the write), 413 (a body over the upload
  limits), 429 (throttled, with Retry-After);
- on the lists that export (XlsxExportMixin), `?format=xlsx`: the .xlsx as a 200 binary, or
  202 with the export job when the list is too long to stream.
A view still states its own responses with @extend_schema; what it states wins.

`public_api_endpoints` (a PREPROCESSING_HOOKS entry) keeps the portal API only: the Wagtail
admin API (/admin/api/main/…) is the admin's private plumbing, and the headless CMS API
(/api/cms/v2/) is Wagtail's own API v2, documented by Wagtail, whose dynamic `fields=`
serializers drf-spectacular cannot describe.
"""

import uritemplate
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_media_type_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

PUBLIC_PREFIX = "/api/v1/"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="invalid, not_found, permission_denied, throttled, "
                                           "not_authenticated, or a business rule's code")
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Per field (or header), its messages; a nested object for nested fields.",
    )


class ErrorSerializer(serializers.Serializer):
    """Every error of the API (portal_api/common/errors.py)."""

    error = ErrorBodySerializer()


ERROR = OpenApiResponse(ErrorSerializer, description="Erreur (forme commune de l'API).")

ERROR_DESCRIPTIONS = {
    400: "Requête refusée : un champ, un filtre ou une règle métier (champs nommés dans "
         "`fields`).",
    401: "Non authentifié : identifiants absents ou invalides.",
    403: "Interdit : les droits de l'utilisateur ne le permettent pas (ou jeton CSRF absent).",
    404: "Introuvable : hors du périmètre de l'utilisateur, ou page au-delà de la dernière.",
    409: "Conflit : l'état de l'objet ne permet pas cette action.",
    413: "Corps de requête trop volumineux (la limite est nommée dans le message).",
    429: "Trop de requêtes : réessayer après `Retry-After` secondes.",
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def binary_response(*content_types: str, description: str, status: int = 200) -> dict:
    """`responses=` for a file answered as an attachment, in each of its media types."""
    response = OpenApiResponse(OpenApiTypes.BINARY, description=description)
    return {(status, content_type): response for content_type in content_types}


def public_api_endpoints(endpoints):
    """PREPROCESSING_HOOKS: only the portal's REST API goes in the public schema."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


class PortalAutoSchema(AutoSchema):
    def _is_xlsx_list(self) -> bool:
        from .api import XlsxExportMixin

        return (self.method == "GET" and isinstance(self.view, XlsxExportMixin)
                and getattr(self.view, "action", None) == "list")

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_xlsx_list():
            from drf_spectacular.utils import OpenApiParameter

            parameters = [OpenApiParameter(
                "format", str, enum=["xlsx"],
                description="xlsx : toute la liste filtrée en classeur Excel (200), ou une "
                            "exportation en file d'attente au-delà de EXPORT_SYNC_MAX_ROWS "
                            "lignes (202).",
            ), *parameters]
        return parameters

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self._is_xlsx_list():
            for parameter in parameters:
                if parameter["name"] == "format" and parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True  # `?format=`: the JSON page
        return parameters

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            # django-filter skips a filter given empty (`?status=`): not filtering is valid.
            if parameter.get("in") == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._is_xlsx_list():
            from portal_api.exports.serializers import ExportJobSerializer

            responses["200"].setdefault("content", {})[XLSX] = build_media_type_object(
                build_basic_type(OpenApiTypes.BINARY)
            )
            if "202" not in responses:
                # Built by hand: _get_response_for_code would page it like the list's 200.
                job = self.resolve_serializer(ExportJobSerializer, direction).ref
                responses["202"] = {
                    "content": {"application/json": build_media_type_object(job)},
                    "description": "Exportation mise en file d'attente (liste trop longue "
                                   "pour un envoi immédiat) ; `Location` : son suivi.",
                }
        for status in self._error_statuses():
            key = str(status)
            if key in responses:
                continue
            response = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status]),
                key, media_types=["application/json"], direction=direction,
            )
            headers = self._error_headers(status)
            if headers:
                response["headers"] = {**response.get("headers", {}), **headers}
            responses[key] = response
        return dict(sorted(responses.items()))

    @staticmethod
    def _error_headers(status: int) -> dict:
        if status == 401:
            return {"WWW-Authenticate": {"schema": {"type": "string"},
                                         "description": "Token (authentification par jeton)."}}
        if status == 429:
            return {"Retry-After": {"schema": {"type": "integer"}, "required": True,
                                    "description": "Secondes avant de réessayer."}}
        return {}

    def _error_statuses(self) -> list[int]:
        method = self.method
        permissions = [type(p) for p in self.view.get_permissions()]
        public = bool(permissions) and all(issubclass(p, AllowAny) for p in permissions)
        statuses = {429}
        if not public:
            statuses.add(401)
            # IsAuthenticated alone refuses nobody logged in; a read behind it then cannot be
            # a 403 (a write can: CSRF).
            if method in UNSAFE or any(not issubclass(p, IsAuthenticated) for p in permissions):
                statuses.add(403)
        has_path_ids = bool(uritemplate.variables(self.path))
        paginated = (method == "GET" and self._is_list_view()
                     and self._get_paginator() is not None)
        if has_path_ids or paginated:
            statuses.add(404)  # another company's id; ?page= past the end
        if paginated:
            statuses.add(400)  # ?page_size= not a whole number from 1
        if method in UNSAFE:
            statuses.add(400)
            if has_path_ids:
                statuses.add(409)
            if method != "DELETE":
                statuses.add(413)  # a body over the upload limits (common/middleware.py)
        elif method == "GET" and self._has_validated_query():
            statuses.add(400)
        return sorted(statuses)

    def _has_validated_query(self) -> bool:
        """A GET whose query parameters are checked (a FilterSet, a query serializer)."""
        if self._is_list_view() and (getattr(self.view, "filterset_class", None)
                                     or getattr(self.view, "filterset_fields", None)):
            return True
        if self._is_xlsx_list():
            return True
        return any(getattr(p, "location", "query") == "query"
                   for p in self.get_override_parameters())
