"""FilterSets of the accounts endpoints."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Site


class SiteFilter(django_filters.FilterSet):
    """Sites by client (staff and technicians; a client user only reaches his own anyway)."""

    client = django_filters.NumberFilter(field_name="client_account_id", label=_("client"))

    class Meta:
        model = Site
        fields = ["client"]
