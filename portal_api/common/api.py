"""The DRF base every portal endpoint builds on.

It wires the two permission layers of DESIGN.md so that an endpoint cannot forget either:
- isolation: `get_queryset()` always calls the endpoint's `selector(user=...)`, which returns
  only what the acting user may see, so another company's id is a 404;
- rights: every action must name its `rules` permission in `rules_permissions`; it is checked
  without an object for the whole request and with the object for detail routes. An action
  missing from the map is refused (fail closed).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework import permissions, viewsets

from .exportable import ExportableList


class RulesPermission(permissions.BasePermission):
    def _perm(self, view) -> str:
        try:
            return view.rules_permissions[view.action]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"{type(view).__name__}.rules_permissions has no entry for action "
                f"{view.action!r}"
            ) from exc

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        # `metadata` is OPTIONS (PortalMetadata: no data, the same for every user); None is a
        # method the route does not allow: DRF answers both itself.
        if view.action in (None, "metadata"):
            return True
        return request.user.has_perm(self._perm(view))

    def has_object_permission(self, request, view, obj) -> bool:
        if view.action in (None, "metadata"):
            return True
        return request.user.has_perm(self._perm(view), obj)


class ScopedViewSetMixin:
    selector: Callable[..., QuerySet] | None = None
    rules_permissions: dict[str, str] = {}
    permission_classes = [RulesPermission]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("_abstract", False):
            if cls.selector is None:
                raise ImproperlyConfigured(f"{cls.__name__} must set `selector`.")
            if not cls.rules_permissions:
                raise ImproperlyConfigured(f"{cls.__name__} must set `rules_permissions`.")
            if RulesPermission not in cls.permission_classes:
                raise ImproperlyConfigured(f"{cls.__name__} must keep RulesPermission.")

    def get_queryset(self) -> QuerySet:
        return type(self).selector(user=self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    _abstract = True


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    _abstract = True


# Query parameters that shape a page or the answer, not the rows.
NOT_FILTERS = frozenset({"format", "page", "page_size"})


class XlsxExportMixin:
    """A list declared exportable (common/exportable.py): its rows, filters and order come from
    `exportable`, the declaration the background export also reads; `?format=xlsx` exports
    them all (not one page).

    Up to settings.EXPORT_SYNC_MAX_ROWS rows the .xlsx is streamed at once. Above, an
    ExportJob is queued (portal_api.exports) and the answer is 202 with the job, whose progress
    the widget follows; the worker rebuilds the same rows from the same declaration for the
    same user and parameters. `filterset_class`, `ordering_fields` and `ordering` are the
    declaration's (DRF's filter backends and the OpenAPI schema read them there)."""

    exportable: ExportableList | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        exportable = cls.__dict__.get("exportable")
        if exportable is None:
            return
        for name in ("filterset_class", "filterset_fields", "ordering_fields", "ordering"):
            if name in cls.__dict__:
                raise ImproperlyConfigured(
                    f"{cls.__name__}.{name}: the exportable list declares it (one place).")
        cls.filterset_class = exportable.filterset_class
        cls.ordering_fields = list(exportable.ordering_fields)
        cls.ordering = list(exportable.ordering) if exportable.ordering else None
        if cls.__dict__.get("rules_permissions", {}).get("list") != exportable.rule:
            raise ImproperlyConfigured(
                f"{cls.__name__}: the `list` rule must be the exportable list's "
                f"({exportable.rule!r}).")

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return self.exportable.selector(user=self.request.user)
        return super().get_queryset()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "list":
            return self.exportable.filter(queryset, user=self.request.user,
                                          params=self.request.query_params)
        return super().filter_queryset(queryset)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # After the credentials, rights and rates: `?format=` is xlsx or nothing, not a typo
        # silently answered with the JSON page.
        if self.action == "list" and request.query_params.get("format") not in (None, "",
                                                                                  "xlsx"):
            from django.utils.translation import gettext as _
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"format": [_("Format inconnu : seul « xlsx » existe.")]})

    def list(self, request, *args, **kwargs):
        if request.query_params.get("format") != "xlsx":
            return super().list(request, *args, **kwargs)
        from django.conf import settings

        # Bad filters are a 400 here, before anything is queued.
        queryset = self.filter_queryset(self.get_queryset())
        total = queryset.count()
        if total > settings.EXPORT_SYNC_MAX_ROWS:
            return self.export_in_background(request, total=total)
        return self.export_response(queryset)

    def export_response(self, queryset):
        import tempfile

        from django.http import FileResponse
        from django.utils import timezone

        from .export import XLSX_CONTENT_TYPE, iterate, write_xlsx

        # A temporary file rather than memory: the workbook is zipped at the end.
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(columns=list(self.exportable.columns), rows=iterate(queryset), out=out,
                   title=self.exportable.name)
        out.seek(0)
        filename = f"{self.exportable.name}-{timezone.localdate():%Y-%m-%d}.xlsx"
        return FileResponse(out, as_attachment=True, filename=filename,
                            content_type=XLSX_CONTENT_TYPE)

    def export_in_background(self, request, *, total: int):
        from django.utils import translation
        from rest_framework import status
        from rest_framework.response import Response

        from portal_api.exports.serializers import ExportJobSerializer
        from portal_api.exports.services import export_request

        params = {key: request.query_params.getlist(key) for key in request.query_params
                  if key not in NOT_FILTERS}
        job = export_request(user=request.user, list_name=self.exportable.name, params=params,
                             total=total, language=translation.get_language() or "fr")
        job.refresh_from_db()  # without a broker the task already ran
        data = ExportJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED,
                        headers={"Location": data["url"]})
