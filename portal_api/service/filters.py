"""FilterSets of the service endpoints."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal_api.accounts.models import ClientAccount
from portal_api.accounts.rules import is_staff_member
from portal_api.common.exportable import ListFilterSet

from .models import Equipment, Intervention, InterventionStatus, Ticket, TicketStatus


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    widget = forms.TextInput  # the raw value: the boolean widgets map junk to "no filter"

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Valeur attendue : true ou false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class EquipmentFilter(ListFilterSet):
    """The installed base: by site, by contract, by words of the serial number, brand or
    model, by the end of the warranty."""

    client = django_filters.NumberFilter(field_name="client_account_id", label=_("client"))
    site = django_filters.NumberFilter(field_name="site_id", label=_("site"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("contrat"))
    contract_number = django_filters.CharFilter(field_name="contract__number",
                                                lookup_expr="icontains",
                                                label=_("n° de contrat"))
    search = django_filters.CharFilter(method="filter_search", label=_("recherche"))
    warranty_before = django_filters.DateFilter(
        field_name="warranty_end", lookup_expr="lte", label=_("fin de garantie avant le")
    )
    active = StrictBooleanFilter(field_name="active", label=_("en service"))

    class Meta:
        model = Equipment
        fields = ["client", "site", "contract", "contract_number", "search", "warranty_before",
                  "active"]

    def filter_search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(serial_number__icontains=word) | Q(brand__icontains=word)
                | Q(model__icontains=word) | Q(label__icontains=word)
                | Q(site__name__icontains=word)
            )
        return queryset


def _words(value: str) -> list[str]:
    return value.split()[:5]


class PeriodForm(forms.Form):
    """A period whose end may not precede its start."""

    periods: tuple[tuple[str, str], ...] = ()

    def clean(self):
        data = super().clean()
        for start, end in self.periods:
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("La date de fin doit être postérieure à la date de début."))
        return data


class TicketFilterForm(PeriodForm):
    periods = (("created_from", "created_to"),)


class TicketFilter(django_filters.FilterSet):
    """The company's requests: by status, urgency, period of creation, words."""

    status = django_filters.ChoiceFilter(choices=TicketStatus.choices, label=_("statut"))
    urgent = StrictBooleanFilter(field_name="urgent", label=_("urgent"))
    created_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                             label=_("créée depuis le"))
    created_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                           label=_("créée jusqu'au"))
    search = django_filters.CharFilter(method="filter_search", label=_("recherche"))

    class Meta:
        model = Ticket
        fields = ["status", "urgent", "created_from", "created_to", "search"]
        form = TicketFilterForm

    def filter_search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(
                Q(number__icontains=word) | Q(description__icontains=word)
                | Q(serial_number_typed__icontains=word)
                | Q(equipment__serial_number__icontains=word)
            )
        return queryset


class CommaSelectMultiple(forms.SelectMultiple):
    """A repeatable parameter that also takes a comma list: ?status=a&status=b or
    ?status=a,b."""

    def value_from_datadict(self, data, files, name):
        getter = data.getlist if hasattr(data, "getlist") else (lambda key: [data.get(key)])
        return [part.strip() for raw in getter(name) if raw
                for part in str(raw).split(",") if part.strip()]


class InterventionScope:
    MINE = "mine"
    MINE_CONTRACT = "mine_contract"
    ALL = "all"
    choices = (
        (MINE, _("Mes interventions")),
        (MINE_CONTRACT, _("Mes interventions sous contrat")),
        (ALL, _("Toutes les interventions")),
    )


class InterventionFilterForm(PeriodForm):
    periods = (("date_from", "date_to"),)


class InterventionFilter(ListFilterSet):
    """Interventions by period (of the planned start), status, site, equipment, contract,
    client (staff and technicians), scope (technicians) and words. Without ?ordering=, the
    technicians see today's first, then the upcoming ones, then the past; clients the most
    recent first."""

    date_from = django_filters.DateFilter(field_name="planned_start", lookup_expr="date__gte",
                                          label=_("du"))
    date_to = django_filters.DateFilter(field_name="planned_start", lookup_expr="date__lte",
                                        label=_("au"))
    status = django_filters.MultipleChoiceFilter(choices=InterventionStatus.choices,
                                                 widget=CommaSelectMultiple, label=_("statut"))
    site = django_filters.NumberFilter(field_name="site_id", label=_("site"))
    equipment = django_filters.NumberFilter(field_name="equipment_id", label=_("équipement"))
    under_contract = StrictBooleanFilter(method="filter_under_contract",
                                         label=_("sous contrat"))
    client = django_filters.NumberFilter(field_name="client_account_id", label=_("client"))
    # The words typed in the client field when no suggestion was picked: every word in the
    # client's name or code ("Dupond", "dup ind").
    client_search = django_filters.CharFilter(method="filter_client_search",
                                              label=_("client (nom ou code)"))
    scope = django_filters.ChoiceFilter(choices=InterventionScope.choices, method="filter_scope",
                                        label=_("périmètre"))
    search = django_filters.CharFilter(method="filter_search", label=_("recherche"))

    class Meta:
        model = Intervention
        fields = ["date_from", "date_to", "status", "site", "equipment", "under_contract",
                  "client", "client_search", "scope", "search"]
        form = InterventionFilterForm

    def filter_under_contract(self, queryset, name, value):
        return queryset.filter(contract__isnull=not value)

    def filter_scope(self, queryset, name, value):
        # Whether the user may ask for "all" is the view's question (a 403), not a filter's.
        # A client user's list is his company's, whatever the scope.
        user = self.user
        if not is_staff_member(user):
            return queryset
        if value == InterventionScope.MINE:
            return queryset.filter(technicians=user)
        if value == InterventionScope.MINE_CONTRACT:
            return queryset.filter(technicians=user, contract__isnull=False)
        return queryset

    def filter_client_search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(Q(client_account__name__icontains=word)
                                       | Q(client_account__code__icontains=word))
        return queryset

    def filter_search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(
                Q(number__icontains=word) | Q(description__icontains=word)
                | Q(work_done__icontains=word) | Q(site__name__icontains=word)
                | Q(site__city__icontains=word) | Q(equipment__serial_number__icontains=word)
                | Q(serial_number_typed__icontains=word)
                | Q(client_account__name__icontains=word)
            )
        return queryset


class ClientFilter(django_filters.FilterSet):
    """Client companies by words of their code or name."""

    search = django_filters.CharFilter(method="filter_search", label=_("recherche"))

    class Meta:
        model = ClientAccount
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(Q(code__icontains=word) | Q(name__icontains=word))
        return queryset
