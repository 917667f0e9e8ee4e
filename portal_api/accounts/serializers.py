import rules
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import PORTAL_RIGHTS, ClientAccount, Contact, Site, User
from .rules import portal_profile_of, technician_profile_of


class ClientAccountSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientAccount
        fields = ["id", "code", "name", "city"]


class RightSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    granted = serializers.BooleanField()


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name")
    kind = serializers.SerializerMethodField(help_text=_("client, technician or staff"))
    company = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()
    rights = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "full_name", "kind", "company",
                  "role", "rights", "areas"]

    def get_kind(self, user) -> str:
        if technician_profile_of(user):
            return "technician"
        return "staff" if user.is_staff else "client"

    @extend_schema_field(ClientAccountSummarySerializer(allow_null=True))
    def get_company(self, user):
        profile = portal_profile_of(user)
        return ClientAccountSummarySerializer(profile.client_account).data if profile else None

    def get_role(self, user) -> str | None:
        profile = portal_profile_of(user)
        return profile.get_role_display() if profile else None

    @extend_schema_field(RightSerializer(many=True))
    def get_rights(self, user):
        profile = portal_profile_of(user)
        return [
            {"code": name.removeprefix("can_"), "label": str(label),
             "granted": bool(profile and getattr(profile, name))}
            for name, label in PORTAL_RIGHTS.items()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_areas(self, user):
        return [area for area in ("extranet", "intranet")
                if rules.test_rule(f"access_{area}", user)]


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "address", "postal_code", "city", "country"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "first_name", "last_name", "role", "email", "phone", "mobile"]
