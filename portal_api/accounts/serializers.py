import re

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
        fields = ["id", "email", "first_name", "last_name", "full_name", "phone", "kind",
                  "company", "role", "rights", "areas"]

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
    """Read and write: a contact of the user's company (the company comes from the user)."""

    class Meta:
        model = Contact
        fields = ["id", "first_name", "last_name", "role", "email", "phone", "mobile"]
        extra_kwargs = {
            "last_name": {"error_messages": {
                "required": _("Le nom est obligatoire."), "blank": _("Le nom est obligatoire."),
            }},
            "email": {"error_messages": {"invalid": _("Saisissez une adresse e-mail valide.")}},
        }

    def validate_phone(self, value):
        return validate_phone_number(value)

    def validate_mobile(self, value):
        return validate_phone_number(value)


PHONE_RE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


def validate_phone_number(value: str) -> str:
    value = (value or "").strip()
    if value and (not PHONE_RE.match(value) or sum(c.isdigit() for c in value) < 6):
        raise serializers.ValidationError(
            _("Saisissez un numéro de téléphone valide (chiffres, espaces, + . - ( ) ).")
        )
    return value


class MeUpdateSerializer(serializers.ModelSerializer):
    """What a user may change about himself (the e-mail is his login: staff change it)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        extra_kwargs = {
            "last_name": {"allow_blank": False,
                          "error_messages": {"blank": _("Le nom est obligatoire.")}},
        }

    def validate_phone(self, value):
        return validate_phone_number(value)


class CompanySerializer(serializers.ModelSerializer):
    """The user's company as the account page shows it, with its sites."""

    sites = serializers.SerializerMethodField()
    full_address = serializers.CharField(read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = ClientAccount
        fields = ["id", "code", "name", "siret", "vat_number", "email", "phone", "address",
                  "postal_code", "city", "country", "full_address", "sites", "permissions"]

    @extend_schema_field(SiteSerializer(many=True))
    def get_sites(self, company):
        return SiteSerializer(self.context["sites"], many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.BooleanField()))
    def get_permissions(self, company):
        user = self.context["request"].user
        return {"manage_contacts": user.has_perm("accounts.create_company_contact"),
                "manage_users": user.has_perm("accounts.invite_colleague"),
                "edit_me": user.has_perm("accounts.change_me")}


def right_codes(profile) -> list[str]:
    """The rights a profile holds, as API codes (the field name without `can_`)."""
    return [name.removeprefix("can_") for name in PORTAL_RIGHTS if getattr(profile, name)]


def right_fields(codes) -> list[str]:
    return [f"can_{code}" for code in codes]


class RightCodesField(serializers.ListField):
    """A list of right codes (`place_orders`, …); an unknown code is a 400 naming it."""

    child = serializers.CharField()

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        unknown = [code for code in codes if f"can_{code}" not in PORTAL_RIGHTS]
        if unknown:
            raise serializers.ValidationError(
                _("Droit inconnu : %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))


class ColleagueSerializer(serializers.ModelSerializer):
    """A portal user of the company, his rights, and what the acting user may do to him."""

    full_name = serializers.CharField(source="get_full_name", read_only=True)
    role = serializers.CharField(source="portal_profile.get_role_display", read_only=True)
    rights = serializers.SerializerMethodField()
    is_me = serializers.SerializerMethodField()
    invitation_pending = serializers.SerializerMethodField(
        help_text=_("Invité, n'a pas encore choisi son mot de passe.")
    )
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "full_name", "phone", "is_active",
                  "invitation_pending", "last_login", "date_joined", "role", "rights", "is_me",
                  "permissions"]

    def get_invitation_pending(self, user) -> bool:
        return not user.has_usable_password()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_rights(self, user):
        return right_codes(user.portal_profile)

    def get_is_me(self, user) -> bool:
        return user.pk == self.context["request"].user.pk

    @extend_schema_field(serializers.DictField(child=serializers.BooleanField()))
    def get_permissions(self, user):
        actor = self.context["request"].user
        return {"change_rights": actor.has_perm("accounts.change_colleague_rights", user),
                "deactivate": user.is_active
                and actor.has_perm("accounts.deactivate_colleague", user),
                "reactivate": not user.is_active
                and actor.has_perm("accounts.reactivate_colleague", user)}


class ColleagueInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(error_messages={
        "required": _("L'adresse e-mail est obligatoire."),
        "blank": _("L'adresse e-mail est obligatoire."),
        "invalid": _("Saisissez une adresse e-mail valide."),
    })
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, error_messages={
        "required": _("Le nom est obligatoire."), "blank": _("Le nom est obligatoire."),
    })
    rights = RightCodesField(required=False, default=list)


class ColleagueInvitationSerializer(serializers.Serializer):
    """The answer to an invitation: what was asked, the same whether the address was new or
    already had an account elsewhere (which is never revealed)."""

    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    rights = serializers.ListField(child=serializers.CharField())
    invitation_pending = serializers.BooleanField(
        help_text=_("L'invitation part par e-mail ; la personne choisit son mot de passe."))


class ColleagueRightsSerializer(serializers.Serializer):
    rights = RightCodesField(error_messages={"required": _("Indiquez les droits.")})
