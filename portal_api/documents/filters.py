from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from portal_api.billing.filters import PeriodForm

from .models import Document, DocumentKind


class DocumentFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Type"))
    date_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                   label=_("Depuis le"))
    date_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                 label=_("Jusqu'au"))
    title = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Titre"))

    class Meta:
        model = Document
        fields = ["kind", "date_from", "date_to", "title"]
        form = PeriodForm
