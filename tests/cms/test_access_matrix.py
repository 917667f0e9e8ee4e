"""The pages' access matrix (issue 10): every page of the portal (public, extranet, intranet)
and the admin's sections (the portal's snippets with their list, inspect, edit and add
screens, the Action Center's own screens, the file downloads, Wagtail's pages, documents,
images, users, groups and settings) × every role → the expected answer, read from ONE table
(`TABLE`). A live page of the tree or a snippet model of the admin without its rows fails, and
so does a row whose page does not exist.

Answers: 200; LOGIN (302 to a login page: anonymous, or a logged-in user without any access to
the admin); 403 (a right or an audience missing); NO (the admin refuses a right: Wagtail's
answer, a 302 to its dashboard with a message, or a 403); 404 (an object beyond the user's
reach: the admin looks the object up in what the user reaches before it asks the object's
right). The policy (DESIGN.md "Permissions", roles.ROLE_AREAS):
- pages: Wagtail view restrictions by group (Clients: the extranet; Techniciens: the intranet),
  then each page's `required_permission`; the administrator, who is neither a client nor a
  technician, has neither area;
- admin: the back-office roles only (a technician or a client has no admin at all); sales
  administration: clients, catalogue, orders, invoices, contracts; the dispatcher: clients,
  tickets (the Action Center), interventions, equipment, contracts (read), the catalogue
  (read); the content editor: pages, procedures, Wagtail documents and images, the GED's
  general documents, none of the client data; the administrator: everything.
A cell the code gets wrong today is a `Bug(...)`: an xfail(strict=True) that turns red once
fixed (the admin is being moved to `rules` in parallel).

Each (page, role) is one test, in its own savepoint over a world built once for the module.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

from portal_api.documents.models import DocumentKind
from tests.access_world import ROLES, Bug, world_fixture

world = world_fixture(content=True)
pytestmark = pytest.mark.django_db

LOGIN = "login"
NO = "denied"


class Row:
    def __init__(self, url: str, *answers, label: str = ""):
        assert len(answers) == len(ROLES), f"{url}: {len(answers)} answers for {len(ROLES)}"
        self.url, self.answers, self.label = url, answers, label

    @property
    def id(self) -> str:
        return self.url + (f" {self.label}" if self.label else "")


def row(url, *answers, **kwargs) -> Row:
    return Row(url, *answers, **kwargs)


L = LOGIN
# --------------------------------------------------------------------------------------------
# THE TABLE. Columns: anonymous, dupond, martin, manager, other_manager, julie, team_lead,
# dispatcher, sales_admin, content_editor, administrator.
# URLs are formatted with `url_values(world)` (Dupond's objects).
# --------------------------------------------------------------------------------------------
PUBLIC = (200,) * len(ROLES)
TABLE: list[Row] = [
    # --- public pages
    row("/", *PUBLIC),
    row("/recherche/", *PUBLIC),
    row("/mentions-legales/", *PUBLIC),
    # --- the extranet: clients only, each page by its right.
    row("/espace-client/", L, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/catalogue/", L, 200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/commandes/", L, 200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/commandes/commande/", L, 200, 403, 200, 200, 403, 403, 403, 403, 403,
        403),
    row("/espace-client/factures/", L, 200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/documents/", L, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/equipements/", L, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/demandes/", L, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/demandes/nouvelle/", L, 403, 200, 200, 200, 403, 403, 403, 403, 403,
        403),
    row("/espace-client/interventions/", L, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/contacts/", L, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/collegues/", L, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/mon-compte/", L, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    row("/espace-client/conditions-intervention/", L, 200, 200, 200, 200, 403, 403, 403, 403,
        403, 403),
    row("/espace-client/procedures/", L, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    *[row(f"/espace-client/procedures/{slug}/", L, 200, 200, 200, 200, 403, 403, 403, 403, 403,
          403)
      for slug in ("purger-un-radiateur", "relever-le-compteur-dune-chaudiere",
                   "demander-une-intervention")],
    row("{client_procedure_document}", L, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403,
        label="(a client procedure's PDF)"),
    # --- the intranet: technicians only.
    row("/intranet/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    row("/intranet/interventions/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    row("/intranet/interventions/fiche/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    row("/intranet/interventions/nouvelle/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403,
        403),
    row("/intranet/consignes-securite/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    row("/intranet/procedures/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    *[row(f"/intranet/procedures/{slug}/", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403)
      for slug in ("consignation-electrique-avant-intervention",
                   "entretien-annuel-dune-chaudiere-gaz",
                   "mise-en-service-dune-pompe-a-chaleur")],
    row("{technician_procedure_document}", L, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403,
        label="(a technician procedure's PDF)"),
]

# --- the admin: the back office only. A client or a technician has no admin at all (LOGIN).
NO_ADMIN = (L,) * 7  # anonymous, the four client users, the two technicians


def admin(url, dispatcher, sales, editor, administrator, **kwargs) -> Row:
    return row(url, *NO_ADMIN, dispatcher, sales, editor, administrator, **kwargs)


# Snippet screens: model → (URL prefix, the object inspected and edited, who views [P, S, E,
# X], who changes [P, S, E, X]). Viewing opens the list and the inspect screen; changing the
# edit and add screens.
SNIPPETS = {
    "accounts.ClientAccount": ("accounts/clientaccount", "account",
                               (200, 200, NO, 200), (200, 200, NO, 200)),
    "accounts.Site": ("accounts/site", "site", (200, 200, NO, 200), (200, 200, NO, 200)),
    "accounts.Contact": ("accounts/contact", "contact",
                         (200, 200, NO, 200), (200, 200, NO, 200)),
    # Portal accesses and technicians: the administrator (users and their rights).
    "accounts.PortalProfile": ("accounts/portalprofile", "dupond_profile",
                               (NO, NO, NO, 200), (NO, NO, NO, 200)),
    "accounts.TechnicianProfile": ("accounts/technicianprofile", "julie_profile",
                                   (NO, NO, NO, 200), (NO, NO, NO, 200)),
    # The catalogue: read by the service and sales, managed by sales.
    "catalog.ArticleFamily": ("catalog/articlefamily", "family",
                              (200, 200, NO, 200), (NO, 200, NO, 200)),
    "catalog.Article": ("catalog/article", "article", (200, 200, NO, 200),
                        (NO, 200, NO, 200)),
    "orders.Order": ("orders/order", "order", (NO, 200, NO, 200), (NO, 200, NO, 200)),
    "billing.Invoice": ("billing/invoice", "invoice", (NO, 200, NO, 200), (NO, 200, NO, 200)),
    # Contracts: read by the dispatcher, managed by sales.
    "billing.Contract": ("billing/contract", "contract", (200, 200, NO, 200),
                         (NO, 200, NO, 200)),
    "service.Equipment": ("service/equipment", "equipment", (200, NO, NO, 200),
                          (200, NO, NO, 200)),
    "service.Ticket": ("service/ticket", "ticket", (200, NO, NO, 200), (200, NO, NO, 200)),
    "service.Intervention": ("service/intervention", "intervention", (200, NO, NO, 200),
                             (200, NO, NO, 200)),
    # The procedures' categories: the content editor's (no inspect screen).
    "cms.ProcedureCategory": ("cms/procedurecategory", None,
                              (NO, NO, 200, 200),
                              (NO, NO, 200, 200)),
}


def snippet_rows(model, prefix, obj, views, changes) -> list[Row]:
    base = f"/admin/snippets/{prefix}/"
    obj = obj or "category"
    rows = [admin(base, *views, label=f"({model}: list)")]
    if model != "cms.ProcedureCategory":
        rows.append(admin(f"{base}inspect/{{{obj}}}/", *views, label=f"({model}: inspect)"))
    return [
        *rows,
        admin(f"{base}edit/{{{obj}}}/", *changes, label=f"({model}: edit)"),
        admin(f"{base}add/", *changes, label=f"({model}: add)"),
    ]


TABLE += [
    admin("/admin/", 200, 200, 200, 200),
    *[r for model, spec in SNIPPETS.items() for r in snippet_rows(model, *spec)],
    # The GED: the list for whoever reaches a kind of document; Dupond's invoice PDF by the
    # invoice right (sales, the administrator; beyond the others' reach: 404); editing the
    # GED is the content editor's and the administrator's.
    admin("/admin/snippets/documents/document/", 200, 200, 200, 200,
          label="(documents.Document: list)"),
    admin("/admin/snippets/documents/document/inspect/{invoice_pdf}/", 404, 200, 404, 200,
          label="(documents.Document: inspect)"),
    admin("/admin/snippets/documents/document/edit/{invoice_pdf}/", 404, NO, 404, 200,
          label="(documents.Document: edit)"),
    admin("/admin/snippets/documents/document/add/", NO, NO, 200, 200,
          label="(documents.Document: add)"),
    admin("/admin/ged/{invoice_pdf}/telecharger/", 404, 200, 404, 200,
          label="(the GED download)"),
    # The Action Center's screens: converting and closing a request; the files of a request
    # and of an intervention.
    admin("/admin/snippets/service/ticket/convertir/{open_ticket}/", 200, NO, NO, 200),
    admin("/admin/snippets/service/ticket/cloturer/{open_ticket}/", 200, NO, NO, 200),
    admin("/admin/snippets/service/ticket/{ticket}/pieces-jointes/{ticket_attachment}/",
          200, NO, NO, 200),
    admin("/admin/snippets/service/intervention/{intervention}/documents/{photo}/",
          200, NO, NO, 200),
    # Wagtail's own sections: pages, documents and images are the content editor's; users,
    # groups (the roles) and settings the administrator's.
    admin("/admin/pages/", NO, NO, 200, 200),
    admin("/admin/pages/{extranet}/", NO, NO, 200, 200),
    admin("/admin/pages/{extranet}/edit/", NO, NO, 200, 200),
    admin("/admin/documents/", NO, NO, 200, 200),
    admin("/admin/images/", NO, NO, 200, 200),
    admin("/admin/users/", NO, NO, NO, 200),
    admin("/admin/groups/", NO, NO, NO, 200),
    admin("/admin/settings/cms/brandingsettings/{branding}/", NO, NO, NO, 200),
]


def url_values(w) -> dict:
    from cms.models import BrandingSettings, ExtranetHomePage, ProcedurePage
    from portal_api.catalog.models import ArticleFamily

    d = w.dupond

    def procedure_document(slug: str) -> str:
        return ProcedurePage.objects.get(slug=slug).documents.first().document.url

    return {
        "account": d.account.pk, "site": d.site.pk, "contact": d.contact.pk,
        "dupond_profile": w.users["dupond"].portal_profile.pk,
        "julie_profile": w.users["julie"].technician_profile.pk,
        "family": ArticleFamily.objects.get(pk=w.article.family_id).pk,
        "article": w.article.pk, "order": d.placed_order.pk, "invoice": d.invoice.pk,
        "contract": d.contract.pk, "equipment": d.equipment.pk, "ticket": d.ticket.pk,
        "intervention": d.intervention.pk, "category": _category().pk,
        "open_ticket": d.open_ticket.pk, "branding": BrandingSettings.load().pk,
        "invoice_pdf": d.documents[DocumentKind.INVOICE].pk,
        "ticket_attachment": d.ticket_attachment.pk, "photo": d.photo.pk,
        "extranet": ExtranetHomePage.objects.get().pk,
        "client_procedure_document": procedure_document("purger-un-radiateur"),
        "technician_procedure_document": procedure_document(
            "consignation-electrique-avant-intervention"),
    }


def _category():
    from cms.models import ProcedureCategory

    return ProcedureCategory.objects.order_by("pk").first()


# --------------------------------------------------------------------------------------------
# Completeness: every live page and every snippet model has its rows.
# --------------------------------------------------------------------------------------------


def test_every_live_page_has_its_row(world):
    pages = {page.url for page in Page.objects.live().specific() if page.depth > 1}
    rows = {r.url for r in TABLE if r.url.startswith("/") and not r.url.startswith("/admin/")}
    assert sorted(pages - rows) == [], "pages without their row"
    assert sorted(rows - pages) == [], "rows without their page"


def test_every_snippet_of_the_admin_has_its_rows(world):
    models = {model._meta.label for model in get_snippet_models()}
    tabled = {*SNIPPETS, "documents.Document"}
    assert sorted(models - tabled) == [], "snippet models without their rows"
    assert sorted(tabled - models) == [], "rows without their snippet model"


# --------------------------------------------------------------------------------------------
# The runner
# --------------------------------------------------------------------------------------------


def _cases():
    for r in TABLE:
        for role, expected in zip(ROLES, r.answers, strict=True):
            marks = ()
            if isinstance(expected, Bug):
                marks = pytest.mark.xfail(
                    strict=True, reason=f"{expected.reason} (today: {expected.actual})")
                expected = expected.expected
            yield pytest.param(r, role, expected, id=f"{r.id} [{role}]", marks=marks)


def login_urls() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("wagtailadmin_login"),
            settings.WAGTAIL_FRONTEND_LOGIN_URL)


def answer_of(url: str, response):
    if response.status_code == 302:
        target = response["Location"].split("?")[0]
        if target in login_urls():
            return LOGIN
        if url.startswith("/admin/") and target == reverse("wagtailadmin_home"):
            return NO
    if url.startswith("/admin/") and response.status_code == 403:
        return NO
    return response.status_code


@pytest.fixture(scope="module")
def values(world, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return url_values(world)


@pytest.mark.parametrize("page,role,expected", list(_cases()))
def test_access(world, values, db, client, page, role, expected):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = page.url.format(**values)
    response = client.get(url)
    answer = answer_of(url, response)
    location = response.get("Location", "")
    assert answer == expected, f"{url} as {role}: {answer} {location}, expected {expected}"
