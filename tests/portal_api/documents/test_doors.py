"""Documents by kind, through every door (issue 10): a stored file needs the right of its source
(documents/rules.KIND_PERMISSIONS: an invoice the invoice right, an intervention's report,
photos and attachments the right to follow interventions, an order's PDF the order right, a
contract the documents or equipment right, a request's files the request right, a receipt the
staff reaching interventions, an export its owner). Every door — the documents list, one
document and its download, the signed links the lists give, the dashboard's feed, the
intervention's and the request's file endpoints, the source's own endpoint, the exports and
the site search — refuses whoever lacks that right, and lets through whoever holds it (so
each test can fail both ways). M. Martin (no invoice right) never reaches an invoice, M. Dupond
(no intervention right) never a report.

The files are Dupond's (tests/access_world.py), plus files of other kinds put on his
intervention and his request (as the back office's GED may): an invoice on the intervention
must not go to whoever may follow it without the invoice right.
"""

import io
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from tests.access_world import PDF_BYTES, world_fixture

world = world_fixture()
pytestmark = pytest.mark.django_db

USERS = ("dupond", "martin", "manager", "julie", "sales_admin", "content_editor")
PORTAL_USERS = ("dupond", "martin", "manager")

# Who holds the right of each file's source (the policy: ROLE_PRESETS, roles.ROLE_AREAS).
# Julie's intervention and request are Dupond's.
REACH = {
    "contract": {"dupond", "martin", "manager", "julie", "sales_admin"},
    "order": {"dupond", "manager", "sales_admin"},
    "invoice": {"dupond", "manager", "sales_admin"},
    "report": {"martin", "manager", "julie"},
    "photo": {"martin", "manager", "julie"},
    "attachment": {"martin", "manager", "julie"},  # an intervention's
    "ticket_attachment": {"martin", "manager", "julie"},  # a request's
    "receipt": {"julie"},  # a technician's expense: staff reaching the intervention
    "other": {"dupond", "martin", "manager", "content_editor"},
    "export": {"dupond"},  # his own
    # Other kinds put on the intervention and the request: their kind's right.
    "invoice_on_intervention": {"dupond", "manager", "sales_admin"},
    "order_on_intervention": {"dupond", "manager", "sales_admin"},
    "invoice_on_ticket": {"dupond", "manager", "sales_admin"},
}
# The documents list shows a client the company's paperwork: not photos nor receipts.
NOT_CLIENT_PAPERWORK = {"photo", "receipt"}
# Who may open an intervention, a request (the gates of their file endpoints).
FOLLOWS_INTERVENTIONS = {"martin", "manager", "julie"}
SEES_REQUESTS = {"martin", "manager", "julie"}


@pytest.fixture(scope="module")
def files(world, django_db_blocker) -> dict[str, Document]:
    """Dupond's files by name; the newest of the company's, so that the feed would show them."""
    d = world.dupond
    with django_db_blocker.unblock():
        def on(obj, kind, title):
            return document_create(title=title, filename="piece.pdf", content=PDF_BYTES,
                                   kind=kind, client_account=d.account, related_object=obj,
                                   content_type="application/pdf")

        named = {
            "contract": d.documents[DocumentKind.CONTRACT],
            "order": d.documents[DocumentKind.ORDER],
            "invoice": d.documents[DocumentKind.INVOICE],
            "report": d.documents[DocumentKind.INTERVENTION_REPORT],
            "photo": d.documents[DocumentKind.PHOTO],
            "attachment": d.documents[DocumentKind.ATTACHMENT],
            "ticket_attachment": d.ticket_attachment,
            "receipt": d.documents[DocumentKind.RECEIPT],
            "other": d.documents[DocumentKind.OTHER],
            "export": d.documents[DocumentKind.EXPORT],
            "invoice_on_intervention": on(d.intervention, DocumentKind.INVOICE,
                                          "Facture jointe à l'intervention"),
            "order_on_intervention": on(d.intervention, DocumentKind.ORDER,
                                        "Commande jointe à l'intervention"),
            "invoice_on_ticket": on(d.ticket, DocumentKind.INVOICE,
                                    "Facture jointe à la demande"),
        }
        later = timezone.now() + timezone.timedelta(minutes=5)
        Document.objects.filter(pk__in=[doc.pk for doc in named.values()]).update(
            created_at=later)
    assert set(named) == set(REACH)
    return named


def api(w, role) -> APIClient:
    client = APIClient()
    client.force_authenticate(w.user(role))
    return client


def browser(w, role) -> Client:
    """A browser session: the lists give it signed links."""
    client = Client()
    client.force_login(w.user(role))
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def name_of(files, document_id: int) -> str | None:
    return next((name for name, doc in files.items() if doc.pk == document_id), None)


def reached(role: str, names) -> set[str]:
    return {name for name in names if role in REACH[name]}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --------------------------------------------------------------------------------------------
# The documents list, one document, its download
# --------------------------------------------------------------------------------------------


def listable(role: str) -> set[str]:
    hidden = NOT_CLIENT_PAPERWORK if role in PORTAL_USERS else set()
    return reached(role, set(REACH) - hidden)


@pytest.mark.parametrize("role", USERS)
def test_the_documents_list_shows_each_file_by_its_sources_right(world, files, role):
    rows = results(api(world, role).get("/api/v1/documents/?page_size=200"))
    shown = {name_of(files, row["id"]) for row in rows} - {None}
    assert shown == listable(role)


def refused_status(role: str, name: str) -> int:
    """A portal user's own company's file he may not read: 403; a file beyond his reach
    (a receipt belongs to no company, an export to its owner; staff: out of their roles'
    reach): 404."""
    if role in PORTAL_USERS and name not in ("receipt", "export"):
        return 403
    return 404


@pytest.mark.parametrize("door", ["", "download/"])
@pytest.mark.parametrize("role", USERS)
def test_one_document_and_its_download_by_its_sources_right(world, files, role, door):
    client = api(world, role)
    answers = {name: client.get(f"/api/v1/documents/{doc.pk}/{door}").status_code
               for name, doc in files.items()}
    expected = {name: 200 if role in REACH[name] else refused_status(role, name)
                for name in files}
    assert answers == expected


def test_the_download_is_the_stored_file(world, files):
    response = api(world, "martin").get(f"/api/v1/documents/{files['report'].pk}/download/")
    assert response["Content-Disposition"].startswith("attachment")
    assert body(response) == PDF_BYTES


# --------------------------------------------------------------------------------------------
# Signed links (documents/links.py): issued by the lists to a browser session
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", USERS)
def test_the_list_signs_a_link_only_for_what_the_user_may_read_and_it_serves_it(
        world, files, role):
    client = browser(world, role)
    links = {name_of(files, row["id"]): row["download_url"]
             for row in results(client.get("/api/v1/documents/?page_size=200"))}
    links.pop(None, None)
    assert set(links) == listable(role)
    for name, link in links.items():
        assert link.startswith("/telechargement/"), (name, link)
        response = client.get(link)
        assert response.status_code == 200, (name, response.status_code)
        assert body(response) == files[name].file.open("rb").read()


def test_a_link_signed_for_dupond_gives_martin_nothing(world, files):
    dupond = browser(world, "dupond")
    rows = results(dupond.get("/api/v1/documents/?page_size=200"))
    invoice_link = next(row["download_url"] for row in rows
                        if row["id"] == files["invoice"].pk)
    pdf_link = results(dupond.get("/api/v1/invoices/"))[0]["pdf_url"]
    assert pdf_link.startswith("/telechargement/")
    for link in (invoice_link, pdf_link):
        assert dupond.get(link).status_code == 200
        assert browser(world, "martin").get(link).status_code == 404
        anonymous = Client().get(link)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/connexion/")


def test_martin_gets_no_invoice_link_at_all(world, files):
    martin = browser(world, "martin")
    assert martin.get("/api/v1/invoices/").status_code == 403
    assert martin.get(f"/api/v1/invoices/{world.dupond.invoice.pk}/").status_code == 403


# --------------------------------------------------------------------------------------------
# The client dashboard's feed
# --------------------------------------------------------------------------------------------

# The feed's files: the company's paperwork the user may read, less exports and the PDFs of
# what the feed shows as its own items (orders, invoices, interventions) when he may see them.
FEED_FILES = {
    "dupond": {"contract", "other"},
    "martin": {"contract", "other", "attachment", "ticket_attachment"},
    "manager": {"contract", "other", "attachment", "ticket_attachment"},
}


def feed(w, role) -> list[dict]:
    client = api(w, role)
    saved = client.put("/api/v1/dashboard/preferences/", {"area": "client", "tiles": ["feed"]},
                       format="json")
    assert saved.status_code == 200, saved.content[:300]
    tiles = {tile["name"]: tile for tile in saved.json()["tiles"]}
    return tiles["feed"]["items"]


@pytest.mark.parametrize("role", PORTAL_USERS)
def test_the_feed_carries_only_the_files_the_user_may_read(world, files, role):
    items = feed(world, role)
    downloads = {item["download"] for item in items if item.get("download")}
    shown = {name for name, doc in files.items()
             if f"/api/v1/documents/{doc.pk}/download/" in downloads}
    assert shown == FEED_FILES[role]
    assert shown <= reached(role, files)
    client = api(world, role)
    for link in downloads:
        assert client.get(link).status_code == 200, link


# Dupond and Martin: one right each (the manager's feed, with every source, is full before it
# reaches the invoice: the feed keeps its newest items).
@pytest.mark.parametrize("role", ["dupond", "martin"])
def test_the_feed_shows_invoices_to_whom_may_see_them_and_interventions_likewise(
        world, files, role):
    titles = " ".join(f"{item['title']} {item['text']}" for item in feed(world, role))
    invoice, signed = world.dupond.invoice, world.dupond.signed
    assert (invoice.number in titles) is (role in REACH["invoice"])
    assert (signed.number in titles) is (role in REACH["report"])
    for name, doc in files.items():
        if role not in REACH[name]:
            assert doc.title not in titles, name


# --------------------------------------------------------------------------------------------
# The intervention's and the request's file endpoints; the source's own endpoint
# --------------------------------------------------------------------------------------------

# The intervention's files and those of the request it came from.
INTERVENTION_FILES = ("photo", "attachment", "receipt", "ticket_attachment",
                      "invoice_on_intervention", "order_on_intervention", "invoice_on_ticket")


@pytest.mark.parametrize("role", USERS)
def test_the_interventions_files_by_their_sources_right(world, files, role):
    client = api(world, role)
    intervention = world.dupond.intervention
    answers = {name: client.get(f"/api/v1/interventions/{intervention.pk}/documents/"
                                f"{files[name].pk}/").status_code
               for name in INTERVENTION_FILES}
    if role not in FOLLOWS_INTERVENTIONS:
        assert set(answers.values()) == {403}
        return
    assert answers == {name: 200 if role in REACH[name] else 404 for name in INTERVENTION_FILES}
    # The sheet lists the same files, no more.
    sheet = client.get(f"/api/v1/interventions/{intervention.pk}/").json()
    listed = {name_of(files, item["id"]) for item in sheet["documents"]} - {None}
    assert listed == {name for name, status in answers.items() if status == 200}


@pytest.mark.parametrize("role", USERS)
def test_the_report_by_the_intervention_right(world, files, role):
    client = api(world, role)
    signed = world.dupond.signed
    report = client.get(f"/api/v1/interventions/{signed.pk}/report/")
    through_the_sheet = client.get(
        f"/api/v1/interventions/{signed.pk}/documents/{files['report'].pk}/")
    if role in REACH["report"]:
        assert (report.status_code, through_the_sheet.status_code) == (200, 200)
        assert body(report) == PDF_BYTES
    else:
        assert (report.status_code, through_the_sheet.status_code) == (403, 403)


TICKET_FILES = ("ticket_attachment", "invoice_on_ticket")

@pytest.mark.parametrize("role", USERS)
def test_the_requests_files_by_their_sources_right(world, files, role):
    client = api(world, role)
    ticket = world.dupond.ticket
    answers = {name: client.get(f"/api/v1/tickets/{ticket.pk}/attachments/"
                                f"{files[name].pk}/").status_code
               for name in TICKET_FILES}
    if role not in SEES_REQUESTS:
        assert set(answers.values()) == {403}
        return
    # The request lists the same files, no more.
    detail = client.get(f"/api/v1/tickets/{ticket.pk}/").json()
    listed = {name_of(files, item["id"]) for item in detail["attachments"]} - {None}
    assert (answers, listed) == (
        {name: 200 if role in REACH[name] else 404 for name in TICKET_FILES},
        reached(role, TICKET_FILES))


@pytest.mark.parametrize("role", USERS)
def test_the_invoice_pdf_by_the_invoice_right(world, files, role):
    response = api(world, role).get(f"/api/v1/invoices/{world.dupond.invoice.pk}/pdf/")
    if role in REACH["invoice"]:
        assert response.status_code == 200
        assert body(response) == PDF_BYTES
    else:
        assert response.status_code == 403


# --------------------------------------------------------------------------------------------
# Exports and search
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", USERS)
def test_the_invoice_export_by_the_invoice_right(world, files, role):
    response = api(world, role).get("/api/v1/invoices/?format=xlsx")
    if role not in REACH["invoice"]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert world.dupond.invoice.number in numbers


@pytest.mark.parametrize("role", USERS)
def test_the_invoice_zip_by_the_invoice_right(world, files, role,
                                              django_capture_on_commit_callbacks):
    client = api(world, role)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/exports/invoice-zip/",
                               {"date_from": "2026-03-01", "date_to": "2026-03-31"},
                               format="json")
    if role not in REACH["invoice"]:
        assert response.status_code == 403
        return
    assert response.status_code == 202, response.content[:300]
    job = client.get(response.json()["url"]).json()
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(job["download_url"]))))
    assert f"{world.dupond.invoice.number}.pdf" in archive.namelist()
    assert archive.read(f"{world.dupond.invoice.number}.pdf") == PDF_BYTES


@pytest.mark.parametrize("role", USERS)
def test_the_documents_list_has_no_export_around_its_rule(world, files, role):
    """?format=xlsx on the documents list (which does not export): the same rows, the same
    rule, never a file of another right."""
    response = api(world, role).get("/api/v1/documents/?format=xlsx&page_size=200")
    shown = {name_of(files, row["id"]) for row in results(response)} - {None}
    assert shown == listable(role)


@pytest.mark.parametrize("role", [None, *USERS])
def test_the_site_search_lists_no_stored_file(world, files, role):
    """The site search finds pages and procedures (cms.selectors.page_search), never a file
    of the GED: no title, no link, whatever the right."""
    client = Client()
    if role:
        client.force_login(world.user(role))
    for query in (world.dupond.invoice.number, "Facture", "Bon", "Contrat"):
        html = client.get("/recherche/", {"q": query}).content.decode()
        for name, doc in files.items():
            assert doc.title not in html, (query, name)
            assert f"/api/v1/documents/{doc.pk}/" not in html, (query, name)
