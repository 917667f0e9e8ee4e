import datetime
import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import DashboardArea
from .selectors import MAX_PERIOD_MONTHS

# What to_internal_value accepts (and the OpenAPI schema says): a year 1900-2199 (the charts
# count months on either side of it), a month 01-12, an optional day 01-31.
MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN})
class MonthField(serializers.Field):
    """A month, given as YYYY-MM (or a YYYY-MM-DD date, taken by its month: the day is only
    checked to be 01-31)."""

    default_error_messages = {
        "invalid": _("Mois invalide : attendu AAAA-MM (ou une date AAAA-MM-JJ), "
                     "de 1900 à 2199."),
    }

    def to_internal_value(self, data) -> datetime.date:
        if not isinstance(data, str) or not re.fullmatch(MONTH_PATTERN, data):
            self.fail("invalid")
        return datetime.date(int(data[:4]), int(data[5:7]), 1)

    def to_representation(self, value) -> str:
        return value.isoformat()[:7]


class DashboardQuerySerializer(serializers.Serializer):
    """GET /dashboard/?area=client|technician[&from=YYYY-MM&to=YYYY-MM] (the charts' months)."""

    area = serializers.ChoiceField(choices=DashboardArea.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are added here, as `first` and `last`.
        self.fields["from"] = MonthField(required=False, source="first")
        self.fields["to"] = MonthField(required=False, source="last")

    def validate(self, attrs):
        first, last = attrs.get("first"), attrs.get("last")
        if first and last:
            if last < first:
                raise serializers.ValidationError(
                    {"to": [_("La fin de la période précède son début.")]})
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            if months > MAX_PERIOD_MONTHS:
                raise serializers.ValidationError({"to": [
                    _("La période ne peut dépasser %(months)s mois.")
                    % {"months": MAX_PERIOD_MONTHS}]})
        return attrs


class DashboardPreferencesSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=DashboardArea.choices)
    tiles = serializers.ListField(child=serializers.CharField(max_length=60), allow_empty=True,
                                  max_length=60)


class DashboardResetSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=DashboardArea.choices)


class DashboardTileSerializer(serializers.Serializer):
    """The common part of a tile (the OpenAPI schema; the rest depends on its kind)."""

    name = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["number", "chart", "list", "feed"])


class DashboardSerializer(serializers.Serializer):
    area = serializers.CharField()
    tiles = DashboardTileSerializer(many=True)
    available = DashboardTileSerializer(many=True)
    defaults = serializers.ListField(child=serializers.CharField())
    period = serializers.DictField(child=serializers.CharField())
    today = serializers.DateField()
