"""The lists that export to Excel, each declared once at the selector layer.

An app declares an exportable list in its own `exports.py` (portal_api/<app>/exports.py):
its export name, the selector of its rows, its FilterSet, the fields `?ordering=` accepts and
the default order, the workbook's columns and the `rules` permission that lets a user see it.
Three readers use that one declaration, so they cannot drift apart:
- the list endpoint (XlsxExportMixin in common/api.py): its JSON page and its `?format=xlsx`;
- the background export (exports.services, in the worker), which finds the declaration by its
  name here without importing a view or a URLconf (the exports app imports every app's
  `exports.py` when Django starts).

`ExportableList.rows()` needs no request: the user and the query parameters are enough, and
bad parameters raise the same ValidationError (naming the field) wherever they are read.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import django_filters
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import QuerySet
from django.http import QueryDict

from .export import Column

ORDERING_PARAM = "ordering"  # rest_framework's api_settings.ORDERING_PARAM


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet that knows the acting user with or without a request: `user=` when the rows
    are built for an export, else the request's user (DRF's filter backend gives a request)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)


@dataclass(frozen=True)
class ExportableList:
    # The export's name: unique, also the file's name and the sheet's title ("commandes").
    name: str
    # (*, user) -> the rows the user may see, before filters, in their default order.
    selector: Callable[..., QuerySet]
    filterset_class: type[ListFilterSet]
    # What `?ordering=` accepts; anything else is ignored (as DRF's OrderingFilter does).
    ordering_fields: tuple[str, ...]
    columns: tuple[Column, ...]
    # The `rules` permission to see the list (the endpoint's `list` action, the export's).
    rule: str
    # The order without a valid `?ordering=`; None keeps the selector's.
    ordering: tuple[str, ...] | None = None

    def __post_init__(self):
        if not issubclass(self.filterset_class, ListFilterSet):
            raise ImproperlyConfigured(f"{self.name}: the filter set must be a ListFilterSet.")

    def rows(self, *, user, params: Mapping[str, Sequence[str]]) -> QuerySet:
        """The rows of the list as `user` sees it with these query parameters. Raises
        django's ValidationError (per field) when a filter is not valid. Rights are the
        caller's to check (`user.has_perm(self.rule)`)."""
        return self.filter(self.selector(user=user), user=user, params=params)

    def filter(self, queryset: QuerySet, *, user,
               params: Mapping[str, Sequence[str]]) -> QuerySet:
        """The list's filters, then its order, on `queryset`."""
        query = params if isinstance(params, QueryDict) else _query_dict(params)
        filterset = self.filterset_class(data=query, queryset=queryset, user=user)
        if not filterset.is_valid():
            raise ValidationError(filterset.form.errors.as_data())
        queryset = filterset.qs
        ordering = self.ordering_terms(query.get(ORDERING_PARAM))
        return queryset.order_by(*ordering) if ordering else queryset

    def ordering_terms(self, value: str | None) -> Sequence[str] | None:
        """`?ordering=a,-b`: the terms among `ordering_fields`, or the default order when none
        is (the rules of DRF's OrderingFilter, whose parameter the schema documents)."""
        if value:
            terms = [term.strip() for term in value.split(",")]
            valid = [term for term in terms if term.removeprefix("-") in self.ordering_fields]
            if valid:
                return valid
        return self.ordering


def _query_dict(params: Mapping[str, Sequence[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(value) for value in values])
    return query


_REGISTRY: dict[str, ExportableList] = {}


def register(exportable: ExportableList) -> ExportableList:
    """Make the list findable by its name (each app's `exports.py` calls it once)."""
    known = _REGISTRY.get(exportable.name)
    if known is not None and known is not exportable:
        raise ImproperlyConfigured(f"Two exportable lists are named {exportable.name!r}.")
    _REGISTRY[exportable.name] = exportable
    return exportable


def exportable_list(name: str) -> ExportableList | None:
    return _REGISTRY.get(name)


def exportable_lists() -> dict[str, ExportableList]:
    return dict(_REGISTRY)
