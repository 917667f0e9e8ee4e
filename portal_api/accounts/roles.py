"""Staff roles, defined in code (DESIGN.md: "staff are roles with scopes, never everything").

A staff user holds one or more roles:

- the two technician roles come from his TechnicianProfile (the intranet access): *technicien*
  (his own interventions) or *chef d'équipe* (`can_see_all_interventions`). The profile already
  carries what the intranet needs (colour, active flag); a group would be a second truth;
- the back-office roles are Django groups, created by a data migration
  (`staff_role_groups_ensure`) with the Wagtail/Django permissions their admin screens need,
  and assigned to a user in the admin (Utilisateurs → groupes). A superuser is an administrator.

What each role *reaches* of the clients' data is `ROLE_AREAS`; the predicates built on it are
in rules.py (`staff_reaches`), the selectors scope with `staff_reach()` in selectors.py.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TECHNICIAN = "technician"
TEAM_LEAD = "team_lead"
DISPATCHER = "dispatcher"
SALES = "sales"
EDITOR = "editor"
ADMINISTRATOR = "administrator"

# The areas of data a staff role may reach. A limited technician reaches the service areas
# only for the clients of his own interventions (and, for tickets and interventions, his own).
CLIENT_ACCOUNTS = "client_accounts"
SITES = "sites"
CONTACTS = "contacts"
PORTAL_USERS = "portal_users"
ORDERS = "orders"
INVOICES = "invoices"
CONTRACTS = "contracts"
EQUIPMENT = "equipment"
TICKETS = "tickets"
INTERVENTIONS = "interventions"
CATALOG = "catalog"
DOCUMENTS = "documents"  # the GED's general documents (kind "other"); the rest go by kind
CONTENT = "content"  # Wagtail pages, procedures, images
AREAS = (CLIENT_ACCOUNTS, SITES, CONTACTS, PORTAL_USERS, ORDERS, INVOICES, CONTRACTS,
         EQUIPMENT, TICKETS, INTERVENTIONS, CATALOG, DOCUMENTS, CONTENT)

_SERVICE = frozenset({CLIENT_ACCOUNTS, SITES, CONTACTS, CONTRACTS, EQUIPMENT, TICKETS,
                      INTERVENTIONS, CATALOG})

ROLE_AREAS: dict[str, frozenset[str]] = {
    TECHNICIAN: _SERVICE,
    TEAM_LEAD: _SERVICE,
    DISPATCHER: _SERVICE,
    SALES: frozenset({CLIENT_ACCOUNTS, SITES, CONTACTS, ORDERS, INVOICES, CONTRACTS, CATALOG}),
    EDITOR: frozenset({DOCUMENTS, CONTENT}),
    ADMINISTRATOR: frozenset(AREAS),
}

# A technician who may create interventions on site (TechnicianProfile.
# can_create_interventions) picks the client, its site and its equipment among every company:
# the call comes from a client he has no intervention for yet. Contracts, contacts, tickets and
# the rest stay limited to his own interventions.
ON_SITE_CREATOR_AREAS = frozenset({CLIENT_ACCOUNTS, SITES, EQUIPMENT})

# Django/Wagtail permissions of each back-office group: `wagtailadmin.access_admin` opens the
# admin; the portal's own screens ask `rules` (wagtail_hooks' RulesPermissionPolicy), so the
# model permissions below only serve Wagtail's own screens (pages, documents, images, users).
_ADMIN_ACCESS = (("wagtailadmin", "access_admin"),)


@dataclass(frozen=True)
class StaffRole:
    key: str
    label: str
    description: str
    group: str | None  # the Django group that gives the role; None: from the technician profile
    permissions: tuple[tuple[str, str], ...] = ()
    all_permissions: bool = False  # the administrator: every Django/Wagtail permission
    # Wagtail's page tree and collections (root page and root collection): the permissions
    # a content editor needs on pages, documents and images.
    page_permissions: tuple[str, ...] = ()
    collection_permissions: tuple[tuple[str, str], ...] = ()


STAFF_ROLES: dict[str, StaffRole] = {
    role.key: role for role in (
        StaffRole(TECHNICIAN, _("Technicien"),
                  _("Ses interventions dans l'intranet, et pour elles les sites, équipements, "
                    "contrats et contacts du client."), group=None),
        StaffRole(TEAM_LEAD, _("Chef d'équipe"),
                  _("Toutes les interventions dans l'intranet."), group=None),
        StaffRole(DISPATCHER, _("Planification (Centre d'actions)"),
                  _("Demandes, interventions, équipements et contrats ; le Centre d'actions."),
                  group="Planification", permissions=_ADMIN_ACCESS),
        StaffRole(SALES, _("Administration des ventes"),
                  _("Commandes, factures et contrats des clients."),
                  group="Administration des ventes", permissions=_ADMIN_ACCESS),
        StaffRole(EDITOR, _("Rédaction"),
                  _("Pages du portail, procédures et documents."),
                  group="Rédaction",
                  # The procedures' categories are a Wagtail snippet (cms.models): its screens
                  # ask these model permissions; pages and snippets are translated with
                  # wagtail-localize's « Traduire » (submit_translation).
                  permissions=(*_ADMIN_ACCESS, ("cms", "add_procedurecategory"),
                               ("cms", "change_procedurecategory"),
                               ("cms", "view_procedurecategory"),
                               ("wagtail_localize", "submit_translation")),
                  page_permissions=("add_page", "change_page", "publish_page"),
                  collection_permissions=(
                      ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
                      ("wagtaildocs", "choose_document"), ("wagtailimages", "add_image"),
                      ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
                  )),
        StaffRole(ADMINISTRATOR, _("Administrateur"),
                  _("Tout le portail, dont les utilisateurs et leurs rôles."),
                  group="Administrateurs",
                  all_permissions=True,
                  page_permissions=("add_page", "change_page", "publish_page", "bulk_delete_page",
                                    "lock_page", "unlock_page"),
                  collection_permissions=(
                      ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
                      ("wagtaildocs", "delete_document"), ("wagtaildocs", "choose_document"),
                      ("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
                      ("wagtailimages", "delete_image"), ("wagtailimages", "choose_image"),
                  )),
    )
}

ROLE_BY_GROUP: dict[str, str] = {r.group: r.key for r in STAFF_ROLES.values() if r.group}
