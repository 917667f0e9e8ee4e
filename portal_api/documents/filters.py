from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from portal_api.billing.filters import PeriodForm

from .models import Document, DocumentKind


class DocumentFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Type"))
    # The document's own date (an invoice's issue date…), as the list shows it.
    date_from = filters.DateFilter(field_name="document_date", lookup_expr="gte",
                                   label=_("Depuis le"))
    date_to = filters.DateFilter(field_name="document_date", lookup_expr="lte",
                                 label=_("Jusqu'au"))
    title = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Titre"))

    class Meta:
        model = Document
        fields = ["kind", "date_from", "date_to", "title"]
        form = PeriodForm
