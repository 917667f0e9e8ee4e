import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal_api.common.exportable import ListFilterSet

from .models import Order, OrderStatus


class OrderFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        for start, end in (("created_from", "created_to"), ("submitted_from", "submitted_to")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("La date de fin doit être postérieure à la date de début."))
        return data


class OrderFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("statut"))
    created_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                             label=_("créée depuis le"))
    created_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                           label=_("créée jusqu'au"))
    submitted_from = django_filters.DateFilter(field_name="submitted_at",
                                               lookup_expr="date__gte", label=_("passée depuis le"))
    submitted_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte",
                                             label=_("passée jusqu'au"))
    prepared_by = django_filters.NumberFilter(field_name="prepared_by_id",
                                              label=_("préparée par"))
    submitted_by = django_filters.NumberFilter(field_name="submitted_by_id",
                                               label=_("passée par"))
    search = django_filters.CharFilter(method="filter_search", label=_("référence"))

    class Meta:
        model = Order
        fields = ["status", "created_from", "created_to", "submitted_from", "submitted_to",
                  "prepared_by", "submitted_by", "search"]
        form = OrderFilterForm

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(customer_reference__icontains=value)
                               | Q(number__icontains=value))
