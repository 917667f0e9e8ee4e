from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from portal_api.common.exportable import ListFilterSet

from .models import Invoice, InvoiceStatus


class PeriodForm(forms.Form):
    """A period filter whose end may not precede its start (the error names `date_to`)."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("La fin de la période ne peut précéder son début."))
        return cleaned


class InvoiceFilter(ListFilterSet):
    date_from = filters.DateFilter(field_name="issue_date", lookup_expr="gte",
                                   label=_("Émise à partir du"))
    date_to = filters.DateFilter(field_name="issue_date", lookup_expr="lte",
                                 label=_("Émise jusqu'au"))
    status = filters.ChoiceFilter(
        choices=[(value, label) for value, label in InvoiceStatus.choices
                 if value != InvoiceStatus.DRAFT],
        label=_("Statut"),
    )
    number = filters.CharFilter(field_name="number", lookup_expr="icontains",
                                label=_("Numéro"))

    class Meta:
        model = Invoice
        fields = ["date_from", "date_to", "status", "number"]
        form = PeriodForm
