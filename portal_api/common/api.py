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
        if view.action is None:  # OPTIONS / method not allowed: DRF answers it itself
            return True
        return request.user.has_perm(self._perm(view))

    def has_object_permission(self, request, view, obj) -> bool:
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


class XlsxExportMixin:
    """`?format=xlsx` on a list: the same filters and ordering, every row (not one page), as
    a streamed .xlsx. The view sets `export_columns` (a list of export.Column) and
    `export_filename`."""

    export_columns: list = []
    export_filename = "export"

    def list(self, request, *args, **kwargs):
        if request.query_params.get("format") != "xlsx":
            return super().list(request, *args, **kwargs)
        import tempfile

        from django.http import FileResponse
        from django.utils import timezone

        from .export import XLSX_CONTENT_TYPE, iterate, write_xlsx

        queryset = self.filter_queryset(self.get_queryset())
        # A temporary file rather than memory: the workbook is zipped at the end.
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(columns=self.export_columns, rows=iterate(queryset), out=out,
                   title=self.export_filename)
        out.seek(0)
        filename = f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}.xlsx"
        return FileResponse(out, as_attachment=True, filename=filename,
                            content_type=XLSX_CONTENT_TYPE)
