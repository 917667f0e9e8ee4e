"""FilterSets of the service endpoints."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Equipment


class EquipmentFilter(django_filters.FilterSet):
    """The installed base: by site, by contract, by words of the serial number, brand or
    model, by the end of the warranty."""

    site = django_filters.NumberFilter(field_name="site_id", label=_("site"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("contrat"))
    contract_number = django_filters.CharFilter(field_name="contract__number",
                                                lookup_expr="icontains",
                                                label=_("n° de contrat"))
    search = django_filters.CharFilter(method="filter_search", label=_("recherche"))
    warranty_before = django_filters.DateFilter(
        field_name="warranty_end", lookup_expr="lte", label=_("fin de garantie avant le")
    )
    active = django_filters.BooleanFilter(field_name="active", label=_("en service"))

    class Meta:
        model = Equipment
        fields = ["site", "contract", "contract_number", "search", "warranty_before", "active"]

    def filter_search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(serial_number__icontains=word) | Q(brand__icontains=word)
                | Q(model__icontains=word) | Q(label__icontains=word)
            )
        return queryset
