"""Back-office screens for accounts: client accounts, sites, contacts, portal accesses (the
« Clients » menu) and technicians (shown in the « Service » menu, see service/wagtail_hooks.py);
and Wagtail's user screens adapted to our user model."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal_api.common.admin_forms import (
    ChoiceColumn,
    PortalSnippetViewSet,
    RelatedObjectsPanel,
    YesNoColumn,
    user_label,
)

from .admin_forms import (
    ClientAccountAdminForm,
    ContactAdminForm,
    PortalProfileAdminForm,
    SiteAdminForm,
    TechnicianProfileAdminForm,
)
from .models import ClientAccount, Contact, PortalProfile, Site, TechnicianProfile


def _address_panel():
    return MultiFieldPanel(
        [
            FieldPanel("address"),
            FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city"),
                           FieldPanel("country")]),
        ],
        heading=_("Adresse"),
    )


class ClientAccountViewSet(PortalSnippetViewSet):
    model = ClientAccount
    icon = "group"
    menu_label = _("Clients")
    list_display = [
        "name",
        Column("code", label=_("Code client"), sort_key="code"),
        Column("city", label=_("Ville"), sort_key="city"),
        Column("phone", label=_("Téléphone")),
        YesNoColumn("active", label=_("Actif")),
    ]
    list_filter = ["active"]
    search_fields = ["code", "name", "siret", "vat_number", "city", "email"]
    ordering = "name"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
                    FieldRowPanel([FieldPanel("siret"), FieldPanel("vat_number")]),
                    FieldPanel("active"),
                ],
                heading=_("Identité"),
            ),
            _address_panel(),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("email"), FieldPanel("phone")])],
                heading=_("Coordonnées"),
            ),
            RelatedObjectsPanel(
                "sites", ["name", "address", "postal_code", "city", "active"],
                heading=_("Sites"), empty_text=_("Aucun site."),
            ),
            RelatedObjectsPanel(
                "contacts", ["last_name", "first_name", "role", "email", "phone", "active"],
                heading=_("Contacts"), empty_text=_("Aucun contact."),
            ),
            RelatedObjectsPanel(
                "portal_profiles",
                [(lambda p: user_label(p.user), _("Utilisateur")), "role"],
                heading=_("Accès portail"), empty_text=_("Aucun accès portail."),
                select_related=["user"],
            ),
        ],
        base_form_class=ClientAccountAdminForm,
    )


class SiteViewSet(PortalSnippetViewSet):
    model = Site
    icon = "site"
    menu_label = _("Sites")
    list_display = [
        "name",
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        Column("postal_code", label=_("Code postal"), sort_key="postal_code"),
        Column("city", label=_("Ville"), sort_key="city"),
        YesNoColumn("active", label=_("Actif")),
    ]
    list_filter = ["client_account", "active"]
    search_fields = ["name", "address", "city", "postal_code", "client_account__name",
                     "client_account__code"]
    ordering = ["client_account__name", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("client_account"),
            FieldPanel("name"),
            _address_panel(),
            FieldPanel("active"),
        ],
        base_form_class=SiteAdminForm,
    )

    def get_queryset(self, request):
        return Site.objects.select_related("client_account")


class ContactViewSet(PortalSnippetViewSet):
    model = Contact
    icon = "mail"
    menu_label = _("Contacts")
    list_display = [
        "__str__",
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        Column("role", label=_("Fonction")),
        Column("email", label=_("E-mail"), sort_key="email"),
        Column("phone", label=_("Téléphone")),
        YesNoColumn("active", label=_("Actif")),
    ]
    list_filter = ["client_account", "active"]
    search_fields = ["first_name", "last_name", "email", "role", "client_account__name"]
    ordering = ["last_name", "first_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("client_account"),
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
            FieldPanel("role"),
            FieldRowPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("mobile")]),
            FieldPanel("user", help_text=_("Le compte portail de ce contact, s'il en a un.")),
            FieldPanel("active"),
        ],
        base_form_class=ContactAdminForm,
    )

    def get_queryset(self, request):
        return Contact.objects.select_related("client_account")


class PortalProfileViewSet(PortalSnippetViewSet):
    model = PortalProfile
    icon = "key"
    menu_label = _("Accès portail")
    list_display = [
        "user",
        Column("user.email", label=_("E-mail"), sort_key="user__email"),
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        ChoiceColumn("role", label=_("Profil type")),
        YesNoColumn("can_place_orders", label=_("Commandes")),
        YesNoColumn("can_request_interventions", label=_("Interventions")),
        YesNoColumn("can_manage_users", label=_("Gère les accès")),
    ]
    list_filter = ["role", "client_account"]
    search_fields = ["user__email", "user__first_name", "user__last_name",
                     "client_account__name", "client_account__code"]
    ordering = ["client_account__name", "user__last_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("client_account"),
            FieldPanel("role"),
            FieldPanel(
                "rights",
                help_text=_(
                    "Choisir un profil type coche ses droits ; chaque droit reste modifiable "
                    "pour cet utilisateur."
                ),
            ),
        ],
        base_form_class=PortalProfileAdminForm,
    )

    def get_queryset(self, request):
        return PortalProfile.objects.select_related("user", "client_account")


class TechnicianProfileViewSet(PortalSnippetViewSet):
    model = TechnicianProfile
    icon = "user"
    menu_label = _("Techniciens")
    list_display = [
        "user",
        Column("user.email", label=_("E-mail"), sort_key="user__email"),
        Column("user.phone", label=_("Téléphone")),
        YesNoColumn("active", label=_("Accès intranet")),
        YesNoColumn("can_see_all_interventions", label=_("Voit tout")),
        YesNoColumn("can_create_interventions", label=_("Crée des interventions")),
    ]
    list_filter = ["active", "can_see_all_interventions"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    ordering = ["user__last_name", "user__first_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("active"),
            FieldPanel("can_see_all_interventions"),
            FieldPanel("can_create_interventions"),
            FieldPanel("color", widget=forms.TextInput(attrs={"type": "color"})),
        ],
        base_form_class=TechnicianProfileAdminForm,
    )

    def get_queryset(self, request):
        return TechnicianProfile.objects.select_related("user")


class ClientsGroup(SnippetViewSetGroup):
    menu_label = _("Clients")
    menu_icon = "group"
    menu_order = 200
    items = (ClientAccountViewSet, SiteViewSet, ContactViewSet, PortalProfileViewSet)


register_snippet(ClientsGroup)
