"""The API's access matrix (issue 10): every operation of the OpenAPI schema × every role → the
expected status, read from ONE table (`TABLE`). An operation of the schema without its row
fails, and so does a row without its operation.

Roles (tests/access_world.py): anonymous; Dupond Industrie's buyer (dupond), technical user
(martin) and manager; another company's manager (other_manager); Julie Bernard, a technician
limited to her interventions (one of them at Dupond's); a team lead; the back office:
dispatcher, sales administration, content editor, administrator.

Path parameters are Dupond's objects. What each role should get follows the policy, not what
the code returns (DESIGN.md, "Permissions"; ROLE_PRESETS; roles.ROLE_AREAS):
- anonymous: 401 (token authentication first; the schema is /api/v1/'s only);
- portal users by their rights: a missing right is a 403, another company's object a 404;
- staff by role: a role whose areas do not reach an endpoint's data gets a 403 at the gate;
  a role that reaches the area but not this object (out of his scope) a 404; Julie, who may
  create interventions on site, picks their client, site and equipment among every company
  (roles.ON_SITE_CREATOR_AREAS);
- the allowed case is the operation's 2xx (the bodies below are valid).
A cell the code gets wrong in a selector or a rule (owned by the lead) is a `Bug(...)`: an
xfail(strict=True) naming what the code returns, so that it turns red once fixed.

Each (operation, role) is one test, run in its own savepoint over a world built once for
the module (tests/access_world.py): a write by one case is gone before the next.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from portal_api.documents.models import DocumentKind
from tests.access_world import ROLES, Bug, pdf_upload, png_bytes, world_fixture

world = world_fixture()
pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Op:
    """One operation of the schema and how to call it. `params` override the default path
    parameters (Dupond's objects); `body(world)` gives the request's data; `label` tells
    apart two rows of one operation (called two ways)."""

    method: str
    path: str
    statuses: tuple
    params: Callable[[Any], dict] | None = None
    query: str = ""
    body: Callable[[Any], Any] | None = None
    multipart: bool = False
    label: str = ""
    # A list: (Dupond's object, the other company's object) whose ids it is checked for.
    listed: Callable[[Any], tuple] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.method.upper(), self.path

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}{' ' + self.label if self.label else ''}"


def op(spec: str, *statuses, **kwargs) -> Op:
    method, path = spec.split(" ", 1)
    assert len(statuses) == len(ROLES), f"{spec}: {len(statuses)} statuses for {len(ROLES)} roles"
    return Op(method=method, path=path, statuses=statuses, **kwargs)


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


def path_params(w, path: str) -> dict:
    """Every path parameter of an operation, filled with Dupond's objects."""
    d = w.dupond
    resource = path.split("/")[3]
    ids = {
        "article-families": w.article.family_id,
        "articles": w.article.pk,
        "clients": d.account.pk,
        "colleagues": d.colleague.pk,
        "contacts": d.contact.pk,
        "documents": d.documents[DocumentKind.CONTRACT].pk,
        "equipment": d.equipment.pk,
        "exports": w.export_job.pk,
        "interventions": d.intervention.pk,
        "invoices": d.invoice.pk,
        "orders": d.draft_order.pk,
        "sites": d.site.pk,
        "tickets": d.ticket.pk,
    }
    return {
        "id": ids.get(resource),
        "line_id": (d.draft_line if resource == "orders" else d.intervention_line).pk,
        "expense_id": d.expense.pk,
        "entry_id": d.time_entry.pk,
        "document_id": (d.ticket_attachment if resource == "tickets" else d.photo).pk,
    }


def signed(w) -> dict:
    return {"id": w.dupond.signed.pk}


def placed(w) -> dict:
    return {"id": w.dupond.placed_order.pk}


def former_colleague(w) -> dict:
    return {"id": w.dupond.former.pk}


# Bodies of the writes: valid, so that an allowed call answers its 2xx.
ME = {"phone": "04 72 00 00 01"}
CONTACT = {"first_name": "Luc", "last_name": "Nouveau", "email": "luc@dupond-industrie.fr"}
INVITE = {"email": "nouveau@dupond-industrie.fr", "last_name": "Nouveau",
          "rights": ["view_documents"]}
RIGHTS = {"rights": ["follow_interventions", "view_documents"]}
SHEET = {"comments": "Accès par le quai 3."}
TIME = {"kind": "work", "date": "2026-03-02", "hours": "1.5"}
EXPENSE = {"kind": "meal", "date": "2026-03-02", "amount": "12.50"}
SIGN = {"signer_name": "M. Martin", "signature": data_url(png_bytes(size=(300, 100)))}
PERIOD = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
TICKET = {"description": "La pompe fuit.", "serial_number": "POMPE-9", "urgent": False}
QUANTITY = {"quantity": "2"}


def article_line(w) -> dict:
    return {"article": w.article.pk, "quantity": "1"}


def on_site(w) -> dict:
    return {"client_account": w.dupond.account.pk, "site": w.dupond.site.pk,
            "description": "Fuite découverte sur place."}


def photos(w) -> dict:
    return {"files": [pdf_upload("releve.pdf")]}


# A list's answer: 200, and which of the two companies' objects it shows (`listed`).
D, O, DO, NONE = "D", "O", "DO", "-"  # noqa: E741 - short: they fill the table


def both(attr: str):
    return lambda w: (getattr(w.dupond, attr), getattr(w.other, attr))


# --------------------------------------------------------------------------------------------
# THE TABLE. One row per operation (two when it is called two ways), one answer per role:
#   anonymous, dupond, martin, manager, other_manager, julie, team_lead, dispatcher,
#   sales_admin, content_editor, administrator
# An answer is a status; for a list, D / O / DO / NONE: 200 showing Dupond's object, the
# other company's, both, neither; Bug(...): the policy's answer, which the code misses today.
# --------------------------------------------------------------------------------------------
TABLE: list[Op] = [
    # --- me, company, sites, contacts: every portal user; staff whose roles reach them.
    # Julie may create interventions on site: she picks the client, its site and equipment
    # among every company (roles.ON_SITE_CREATOR_AREAS); contacts stay her interventions'.
    op("GET /api/v1/me/", 401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    op("PATCH /api/v1/me/", 401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, body=ME),
    op("GET /api/v1/company/", 401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    op("GET /api/v1/sites/", 401, D, D, D, O, DO, DO, DO, DO, 403, DO,
       listed=both("site")),
    op("GET /api/v1/sites/{id}/", 401, 200, 200, 200, 404, 200, 200, 200, 200, 403, 200),
    op("GET /api/v1/contacts/", 401, D, D, D, O, D, DO, DO, DO, 403, DO,
       listed=both("contact")),
    # Creating a contact needs a company to create it for: portal users with the right.
    op("POST /api/v1/contacts/", 401, 403, 403, 201, 201, 403, 403, 403, 403, 403, 403,
       body=CONTACT),
    op("GET /api/v1/contacts/{id}/", 401, 200, 200, 200, 404, 200, 200, 200, 200, 403, 200),
    op("PUT /api/v1/contacts/{id}/", 401, 403, 403, 200, 404, 403, 403, 200, 200, 403, 200,
       body=CONTACT),
    op("PATCH /api/v1/contacts/{id}/", 401, 403, 403, 200, 404, 403, 403, 200, 200, 403, 200,
       body={"phone": "04 72 00 00 02"}),
    op("DELETE /api/v1/contacts/{id}/", 401, 403, 403, 204, 404, 403, 403, 204, 204, 403, 204),
    # --- colleagues: a client manager's own company (staff manage accesses in the admin).
    op("GET /api/v1/colleagues/", 401, 403, 403, D, O, 403, 403, 403, 403, 403, 403,
       listed=both("colleague")),
    # An invitation is accepted (202), the same whether the address is known or not.
    op("POST /api/v1/colleagues/", 401, 403, 403, 202, 202, 403, 403, 403, 403, 403, 403,
       body=INVITE),
    op("GET /api/v1/colleagues/{id}/", 401, 403, 403, 200, 404, 403, 403, 403, 403, 403, 403),
    op("PATCH /api/v1/colleagues/{id}/", 401, 403, 403, 200, 404, 403, 403, 403, 403, 403, 403,
       body=RIGHTS),
    op("DELETE /api/v1/colleagues/{id}/", 401, 403, 403, 204, 404, 403, 403, 403, 403, 403,
       403),
    op("POST /api/v1/colleagues/{id}/reactivate/", 401, 403, 403, 200, 404, 403, 403, 403, 403,
       403, 403, params=former_colleague),
    # --- catalogue: the catalogue right, technicians, the roles reaching the catalogue.
    op("GET /api/v1/articles/", 401, 200, 403, 200, 200, 200, 200, 200, 200, 403, 200),
    op("GET /api/v1/articles/{id}/", 401, 200, 403, 200, 200, 200, 200, 200, 200, 403, 200),
    op("GET /api/v1/article-families/", 401, 200, 403, 200, 200, 200, 200, 200, 200, 403, 200),
    op("GET /api/v1/article-families/{id}/", 401, 200, 403, 200, 200, 200, 200, 200, 200, 403,
       200),
    # --- the client picker (creating an intervention, filtering the service's lists).
    op("GET /api/v1/clients/", 401, 403, 403, 403, 403, DO, DO, DO, 403, 403, DO,
       listed=both("account")),
    op("GET /api/v1/clients/{id}/", 401, 403, 403, 403, 403, 200, 200, 200, 403, 403, 200),
    # --- dashboards: the client one for portal users, LivePilot for technicians.
    op("GET /api/v1/dashboard/", 401, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403,
       query="area=client", label="(client)"),
    op("GET /api/v1/dashboard/", 401, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403,
       query="area=technician", label="(technician)"),
    op("PUT /api/v1/dashboard/preferences/", 401, 200, 200, 200, 200, 403, 403, 403, 403,
       403, 403, body={"area": "client", "tiles": ["feed"]}, label="(client)"),
    op("PUT /api/v1/dashboard/preferences/", 401, 403, 403, 403, 403, 200, 200, 403, 403,
       403, 403, body={"area": "technician", "tiles": ["today"]}, label="(technician)"),
    op("POST /api/v1/dashboard/preferences/reset/", 401, 200, 200, 200, 200, 403, 403, 403,
       403, 403, 403, body={"area": "client"}, label="(client)"),
    op("POST /api/v1/dashboard/preferences/reset/", 401, 403, 403, 403, 403, 200, 200, 403,
       403, 403, 403, body={"area": "technician"}, label="(technician)"),
    # --- documents (GED): the list for whoever reaches a kind of document; one document
    # (Dupond's contract) by its source's right: billing.view_contracts.
    op("GET /api/v1/documents/", 401, D, D, D, O, D, DO, DO, DO, NONE, DO,
       listed=lambda w: (w.dupond.documents[DocumentKind.CONTRACT],
                         w.other.documents[DocumentKind.CONTRACT])),
    op("GET /api/v1/documents/{id}/", 401, 200, 200, 200, 404, 200, 200, 200, 200, 404, 200),
    op("GET /api/v1/documents/{id}/download/", 401, 200, 200, 200, 404, 200, 200, 200, 200,
       404, 200),
    # --- equipment: the equipment right; the service roles.
    op("GET /api/v1/equipment/", 401, 403, D, D, O, DO, DO, DO, 403, 403, DO,
       listed=both("equipment")),
    op("GET /api/v1/equipment/", 401, 403, 200, 200, 200, 200, 200, 200, 403, 403, 200,
       query="format=xlsx", label="(xlsx)"),
    op("GET /api/v1/equipment/{id}/", 401, 403, 200, 200, 404, 200, 200, 200, 403, 403, 200),
    # --- exports: one's own (Dupond's export is nobody else's, staff included).
    op("GET /api/v1/exports/", 401, D, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,
       listed=lambda w: (w.export_job, None)),
    op("GET /api/v1/exports/{id}/", 401, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    op("GET /api/v1/exports/{id}/download/", 401, 200, 404, 404, 404, 404, 404, 404, 404, 404,
       404),
    op("POST /api/v1/exports/invoice-zip/", 401, 202, 403, 202, 202, 403, 403, 403, 202, 403,
       202, body=PERIOD),
    # --- interventions: following them (clients), the service roles; the sheet: technicians
    # who see it and the planners; creating one on site: technicians.
    op("GET /api/v1/interventions/", 401, 403, D, D, O, D, DO, DO, 403, 403, DO,
       listed=both("intervention")),
    op("GET /api/v1/interventions/", 401, 403, 200, 200, 200, 200, 200, 200, 403, 403, 200,
       query="format=xlsx", label="(xlsx)"),
    op("POST /api/v1/interventions/", 401, 403, 403, 403, 403, 201, 201, 403, 403, 403, 403,
       body=on_site),
    op("GET /api/v1/interventions/{id}/", 401, 403, 200, 200, 404, 200, 200, 200, 403, 403,
       200),
    op("PATCH /api/v1/interventions/{id}/", 401, 403, 403, 403, 403, 200, 200, 200, 403, 403,
       200, body=SHEET),
    op("POST /api/v1/interventions/{id}/documents/", 401, 403, 403, 403, 403, 201, 201, 201,
       403, 403, 201, body=photos, multipart=True),
    op("GET /api/v1/interventions/{id}/documents/{document_id}/", 401, 403, 200, 200, 404, 200,
       200, 200, 403, 403, 200),
    op("POST /api/v1/interventions/{id}/expenses/", 401, 403, 403, 403, 403, 201, 201, 201,
       403, 403, 201, body=EXPENSE),
    op("DELETE /api/v1/interventions/{id}/expenses/{expense_id}/", 401, 403, 403, 403, 403,
       200, 200, 200, 403, 403, 200),
    op("POST /api/v1/interventions/{id}/lines/", 401, 403, 403, 403, 403, 201, 201, 201, 403,
       403, 201, body=article_line),
    op("PATCH /api/v1/interventions/{id}/lines/{line_id}/", 401, 403, 403, 403, 403, 200, 200,
       200, 403, 403, 200, body=QUANTITY),
    op("DELETE /api/v1/interventions/{id}/lines/{line_id}/", 401, 403, 403, 403, 403, 200,
       200, 200, 403, 403, 200),
    op("POST /api/v1/interventions/{id}/time-entries/", 401, 403, 403, 403, 403, 201, 201, 201,
       403, 403, 201, body=TIME),
    op("DELETE /api/v1/interventions/{id}/time-entries/{entry_id}/", 401, 403, 403, 403, 403,
       200, 200, 200, 403, 403, 200),
    op("POST /api/v1/interventions/{id}/sign/", 401, 403, 403, 403, 403, 200, 200, 200, 403,
       403, 200, body=SIGN),
    op("GET /api/v1/interventions/{id}/report/", 401, 403, 200, 200, 404, 200, 200, 200, 403,
       403, 200, params=signed),
    op("GET /api/v1/interventions/{id}/signature/", 401, 403, 200, 200, 404, 200, 200, 200,
       403, 403, 200, params=signed),
    # --- invoices: the invoice right; sales administration and the administrator.
    op("GET /api/v1/invoices/", 401, D, 403, D, O, 403, 403, 403, DO, 403, DO,
       listed=both("invoice")),
    op("GET /api/v1/invoices/", 401, 200, 403, 200, 200, 403, 403, 403, 200, 403, 200,
       query="format=xlsx", label="(xlsx)"),
    op("GET /api/v1/invoices/{id}/", 401, 200, 403, 200, 404, 403, 403, 403, 200, 403, 200),
    op("GET /api/v1/invoices/{id}/pdf/", 401, 200, 403, 200, 404, 403, 403, 403, 200, 403,
       200),
    # --- orders: reading them, sales administration too; writing them: the client's rights
    # (the back office confirms and delivers in the admin).
    op("GET /api/v1/orders/", 401, D, 403, D, O, 403, 403, 403, DO, 403, DO,
       listed=both("placed_order")),
    op("GET /api/v1/orders/", 401, 200, 403, 200, 200, 403, 403, 403, 200, 403, 200,
       query="format=xlsx", label="(xlsx)"),
    op("POST /api/v1/orders/", 401, 201, 403, 201, 201, 403, 403, 403, 403, 403, 403,
       body={"customer_reference": "CHANTIER-12"}),
    op("GET /api/v1/orders/{id}/", 401, 200, 403, 200, 404, 403, 403, 403, 200, 403, 200),
    op("PATCH /api/v1/orders/{id}/", 401, 200, 403, 200, 404, 403, 403, 403, 403, 403, 403,
       body={"customer_reference": "CHANTIER-13"}),
    op("DELETE /api/v1/orders/{id}/", 401, 204, 403, 204, 404, 403, 403, 403, 403, 403, 403),
    op("POST /api/v1/orders/{id}/lines/", 401, 201, 403, 201, 404, 403, 403, 403, 403, 403,
       403, body=article_line),
    op("PATCH /api/v1/orders/{id}/lines/{line_id}/", 401, 200, 403, 200, 404, 403, 403, 403,
       403, 403, 403, body=QUANTITY),
    op("DELETE /api/v1/orders/{id}/lines/{line_id}/", 401, 200, 403, 200, 404, 403, 403, 403,
       403, 403, 403),
    op("POST /api/v1/orders/{id}/place/", 401, 200, 403, 200, 404, 403, 403, 403, 403, 403,
       403),
    op("POST /api/v1/orders/{id}/cancel/", 401, 200, 403, 200, 404, 403, 403, 403, 403, 403,
       403, params=placed),
    # --- requests (tickets): requesting or following interventions; the service roles (the
    # technician: the requests turned into his interventions).
    op("GET /api/v1/tickets/", 401, 403, D, D, O, D, DO, DO, 403, 403, DO,
       listed=both("ticket")),
    op("POST /api/v1/tickets/", 401, 403, 201, 201, 201, 403, 403, 403, 403, 403, 403,
       body=TICKET),
    op("GET /api/v1/tickets/{id}/", 401, 403, 200, 200, 404, 200, 200, 200, 403, 403, 200),
    op("GET /api/v1/tickets/{id}/attachments/{document_id}/", 401, 403, 200, 200, 404, 200,
       200, 200, 403, 403, 200),
]

# --------------------------------------------------------------------------------------------
# The runner
# --------------------------------------------------------------------------------------------


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(method.upper(), path) for path, item in schema["paths"].items()
            for method in item if method in METHODS}


def test_every_operation_of_the_schema_has_its_row_and_every_row_its_operation(db):
    in_schema = schema_operations()
    in_table = {row.key for row in TABLE}
    # Named in the failure: the operations without their row, the rows without operation.
    assert sorted(in_schema - in_table) == [], "operations of the schema without their row"
    assert sorted(in_table - in_schema) == [], "rows of TABLE without their operation"
    ids = [row.id for row in TABLE]
    assert len(ids) == len(set(ids)), "two rows of TABLE for the same call"


def _cases():
    for row in TABLE:
        for role, expected in zip(ROLES, row.statuses, strict=True):
            marks = ()
            if isinstance(expected, Bug):
                marks = pytest.mark.xfail(
                    strict=True, reason=f"{expected.reason} (today: {expected.actual})")
                expected = expected.expected
            yield pytest.param(row, role, expected, id=f"{row.id} [{role}]", marks=marks)


def call(w, row: Op, role: str):
    params = path_params(w, row.path)
    if row.params is not None:
        params.update(row.params(w))
    url = row.path
    for name, value in params.items():
        url = url.replace("{" + name + "}", str(value))
    query = row.query.format(**params)
    if query:
        url = f"{url}?{query}"
    client = APIClient()
    user = w.user(role)
    if user is not None:
        client.force_authenticate(user)
    body = row.body(w) if callable(row.body) else row.body
    return getattr(client, row.method.lower())(
        url, body, format="multipart" if row.multipart else "json")


def listed(w, row: Op, response) -> str:
    """Which of the two companies' objects the list shows: D, O, DO or NONE."""
    data = response.json()
    ids = {item["id"] for item in (data["results"] if isinstance(data, dict) else data)}
    dupond, other = row.listed(w)
    shown = ("D" if dupond.pk in ids else "") + ("O" if other and other.pk in ids else "")
    return shown or NONE


@pytest.mark.parametrize("row,role,expected", list(_cases()))
def test_access(world, db, row, role, expected):
    response = call(world, row, role)
    status = response.status_code
    if isinstance(expected, str):  # a list: 200, and whose objects it shows
        answer = listed(world, row, response) if status == 200 else status
    else:
        answer = status
    assert answer == expected, (
        f"{row.id} as {role}: {answer}, expected {expected}: "
        f"{getattr(response, 'content', b'')[:300]!r}")
