"""Short-lived signed download links (`/telechargement/<token>/`, portal_api/documents/links.py):
the invoice list and detail, and the documents list, give a browser session a signed link to
each stored file; the link serves the file with no query at all (no session read either) to the
session it was issued to, for DOWNLOAD_LINK_MAX_AGE seconds; the same user's other sessions go
through the checked endpoint, another user gets a 404. Token clients keep the checked
endpoints."""

import io
import json
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader, PdfWriter

from portal_api.accounts.models import PortalProfile
from portal_api.billing.services import invoice_pdf_ensure
from portal_api.documents import links
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from tests.portal_api.billing.conftest import make_invoice

pytestmark = pytest.mark.django_db


def small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_stored_pdf(invoice, content: bytes | None = None):
    """The invoice with a stored PDF (a small real one unless given)."""
    invoice.pdf = document_create(
        title=f"Facture {invoice.number}", filename=f"{invoice.number}.pdf",
        content=content or small_pdf(), kind=DocumentKind.INVOICE,
        client_account=invoice.client_account, related_object=invoice,
        content_type="application/pdf")
    invoice.save(update_fields=["pdf"])
    return invoice


def browser(user=None) -> Client:
    """A browser: a session cookie (force_login goes through the session, as a login does)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pdf_link(client, invoice) -> str:
    rows = client.get("/api/v1/invoices/").json()["results"]
    return next(row["pdf_url"] for row in rows if row["id"] == invoice.pk)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def stored(dupond_company):
    return with_stored_pdf(make_invoice(dupond_company))


@pytest.fixture
def later(monkeypatch):
    """Move the signing clock: later(seconds) makes every link that much older."""
    def move(seconds: float):
        monkeypatch.setattr(signing, "time",
                            SimpleNamespace(time=lambda: time.time() + seconds))
    return move


class TestTheLink:
    def test_the_list_gives_a_signed_link_that_downloads_the_rendered_pdf(
            self, dupond, dupond_company, django_assert_num_queries):
        invoice = make_invoice(dupond_company)
        invoice_pdf_ensure(invoice=invoice)  # the real WeasyPrint PDF, stored
        client = browser(dupond)
        link = pdf_link(client, invoice)
        assert link.startswith("/telechargement/") and link.endswith("/")
        with django_assert_num_queries(0):  # not even the session
            response = client.get(link)
            content = body(response)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
        assert response["Cache-Control"] == "private, no-store"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert invoice.number in text
        invoice.refresh_from_db()
        assert content == invoice.pdf.file.open("rb").read()

    def test_the_detail_gives_one_too(self, dupond, stored):
        client = browser(dupond)
        link = client.get(f"/api/v1/invoices/{stored.pk}/").json()["pdf_url"]
        assert link.startswith("/telechargement/")
        assert body(client.get(link)) == stored.pdf.file.open("rb").read()

    def test_a_link_still_valid_just_before_it_expires(self, dupond, stored, later):
        client = browser(dupond)
        link = pdf_link(client, stored)
        later(settings.DOWNLOAD_LINK_MAX_AGE - 5)
        assert client.get(link).status_code == 200

    def test_the_list_still_runs_a_constant_number_of_queries(self, dupond, dupond_company):
        client = browser(dupond)
        with_stored_pdf(make_invoice(dupond_company), b"%PDF-1.4 a")

        def count() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as queries:
                data = client.get("/api/v1/invoices/?page_size=50").json()
            assert all(r["pdf_url"].startswith("/telechargement/") for r in data["results"])
            return len(queries.captured_queries), data["count"]

        few, n = count()
        for _ in range(n, 5):
            with_stored_pdf(make_invoice(dupond_company), b"%PDF-1.4 b")
        assert count() == (few, 5)
        for _ in range(5, 50):
            with_stored_pdf(make_invoice(dupond_company), b"%PDF-1.4 c")
        assert count() == (few, 50)

    def test_not_stored_yet_keeps_the_checked_endpoint(self, dupond, dupond_company):
        invoice = make_invoice(dupond_company)
        assert invoice.pdf_id is None
        assert pdf_link(browser(dupond), invoice) == f"/api/v1/invoices/{invoice.pk}/pdf/"

    def test_token_clients_keep_the_checked_endpoint(self, api_as, dupond, stored):
        row = api_as(dupond).get("/api/v1/invoices/").json()["results"][0]
        assert row["pdf_url"] == f"/api/v1/invoices/{stored.pk}/pdf/"
        response = api_as(dupond).get(row["pdf_url"])
        assert response.status_code == 200
        assert body(response) == stored.pdf.file.open("rb").read()

    def test_a_file_gone_from_the_storage_sends_to_the_checked_endpoint(self, dupond, stored):
        client = browser(dupond)
        link = pdf_link(client, stored)
        stored.pdf.file.storage.delete(stored.pdf.file.name)
        response = client.get(link)
        assert response.status_code == 302
        assert response["Location"] == f"/api/v1/invoices/{stored.pk}/pdf/"


class TestRefused:
    def test_expired_the_link_serves_nothing_and_sends_to_the_full_check(
            self, dupond, stored, later):
        client = browser(dupond)
        link = pdf_link(client, stored)
        later(settings.DOWNLOAD_LINK_MAX_AGE + 1)
        response = client.get(link)
        assert response.status_code == 302 and not response.streaming
        assert response["Location"] == f"/api/v1/invoices/{stored.pk}/pdf/"
        # There the rights are checked again: revoked since the list, refused.
        PortalProfile.objects.filter(user=dupond).update(can_view_invoices=False)
        assert client.get(response["Location"]).status_code == 403

    def test_within_its_life_a_revoked_right_is_seen_at_the_next_list(self, dupond, stored):
        client = browser(dupond)
        link = pdf_link(client, stored)
        PortalProfile.objects.filter(user=dupond).update(can_view_invoices=False)
        # The documented trade-off: the link already given still works for its minutes…
        assert client.get(link).status_code == 200
        # …but no new one is given.
        assert client.get("/api/v1/invoices/").status_code == 403

    @pytest.mark.parametrize("tamper", [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: ("A" if t[1] != "A" else "B").join((t[:1], t[2:])),  # the payload
        lambda t: t.split(":")[0] + ":" + t.split(":")[-1],  # the timestamp dropped
    ])
    def test_a_tampered_token_is_a_404(self, dupond, stored, tamper):
        client = browser(dupond)
        token = pdf_link(client, stored).split("/")[2]
        response = client.get(f"/telechargement/{tamper(token)}/")
        assert response.status_code == 404 and not response.streaming

    def test_a_forged_payload_signed_otherwise_is_a_404(self, dupond, stored):
        """The same payload signed without the links' salt (as another part of the project
        might sign something) is refused: only tokens made for downloads open files."""
        client = browser(dupond)
        payload = {"d": stored.pdf_id, "u": str(dupond.pk), "n": stored.pdf.file.name,
                   "s": links.session_tag(client.session.session_key),
                   "c": "application/pdf", "f": "x.pdf"}
        genuine = signing.dumps(payload, salt=links.SALT)
        assert client.get(f"/telechargement/{genuine}/").status_code == 200  # the control
        for token in (signing.dumps(payload), signing.dumps(payload, salt="autre"),
                      signing.dumps(payload, key="une-autre-clé", salt=links.SALT)):
            assert client.get(f"/telechargement/{token}/").status_code == 404

    def test_the_same_users_other_session_goes_through_the_full_check(self, dupond, stored):
        link = pdf_link(browser(dupond), stored)
        elsewhere = browser(dupond)  # another login: another session
        response = elsewhere.get(link)
        assert response.status_code == 302 and not response.streaming
        assert response["Location"] == f"/api/v1/invoices/{stored.pk}/pdf/"
        assert elsewhere.get(response["Location"]).status_code == 200

    def test_a_session_ended_on_the_server_keeps_its_links_for_their_minutes(self, dupond,
                                                                            stored):
        """The documented trade-off: the link is checked against the session cookie, not the
        session store. A session deleted on the server (an administrator, an expiry) within
        the link's life still opens that link if its cookie is still presented; nothing
        else (the list, the checked endpoint) works with it."""
        client = browser(dupond)
        link = pdf_link(client, stored)
        client.session.delete()  # from the session store; the client keeps its cookie
        assert client.get(link).status_code == 200
        assert client.get("/api/v1/invoices/").status_code == 401  # anonymous now

    def test_another_users_session_is_a_404(self, dupond, martin, other_manager, stored):
        link = pdf_link(browser(dupond), stored)
        # A colleague without the invoice right, and another company's manager.
        for someone in (martin, other_manager):
            response = browser(someone).get(link)
            assert response.status_code == 404 and not response.streaming

    def test_anonymous_is_sent_to_the_login_page_and_back(self, dupond, stored):
        client = browser(dupond)
        link = pdf_link(client, stored)
        client.logout()
        for anonymous in (client, browser()):
            response = anonymous.get(link)
            assert response.status_code == 302 and not response.streaming
            assert response["Location"].startswith("/connexion/")
            assert "next=/telechargement/" in response["Location"]

    def test_only_get_and_head(self, dupond, stored):
        client = browser(dupond)
        link = pdf_link(client, stored)
        assert client.head(link).status_code == 200
        assert client.post(link).status_code in (403, 405)  # CSRF first, or not allowed


class TestWhoGetsALink:
    def test_another_companys_invoice_never_gets_one(self, dupond, other_company, stored):
        theirs = with_stored_pdf(make_invoice(other_company))
        client = browser(dupond)
        rows = client.get("/api/v1/invoices/?page_size=50").json()["results"]
        assert [row["id"] for row in rows] == [stored.pk]
        tokens = [row["pdf_url"].split("/")[2] for row in rows]
        assert {links.read_token(t)[0]["d"] for t in tokens} == {stored.pdf_id}
        assert client.get(f"/api/v1/invoices/{theirs.pk}/").status_code == 404

    def test_no_invoice_right_no_list_so_no_link(self, martin, stored):
        response = browser(martin).get("/api/v1/invoices/")
        assert response.status_code == 403
        assert b"telechargement" not in response.content
        assert browser(martin).get(f"/api/v1/invoices/{stored.pk}/").status_code == 403

    def test_the_link_names_the_user_and_tags_the_session_it_was_issued_to(self, dupond,
                                                                         stored):
        client = browser(dupond)
        token = pdf_link(client, stored).split("/")[2]
        payload, fresh = links.read_token(token)
        assert fresh and payload["u"] == str(dupond.pk) and payload["i"] == stored.pk
        assert len(payload["s"]) == 32  # a tag of the session, not the session key
        assert client.session.session_key not in json.dumps(payload)
        assert payload["s"] == links.session_tag(client.session.session_key)


class TestDocumentsList:
    def test_the_documents_list_links_invoice_pdfs_and_others_signed(
            self, dupond, dupond_company, stored, django_assert_num_queries):
        contract = document_create(title="Contrat 2026", filename="contrat.pdf",
                                   content=b"%PDF-1.4 contrat", kind=DocumentKind.CONTRACT,
                                   client_account=dupond_company)
        client = browser(dupond)
        rows = {row["id"]: row for row in client.get("/api/v1/documents/").json()["results"]}
        assert set(rows) == {stored.pdf_id, contract.pk}
        for document in (stored.pdf, contract):
            link = rows[document.pk]["download_url"]
            assert link.startswith("/telechargement/")
            with django_assert_num_queries(0):
                response = client.get(link)
                content = body(response)
            assert content == document.file.open("rb").read()
            assert response["Content-Disposition"].startswith("attachment")
        # Expired, the link goes to the document's checked download.
        payload = links.read_token(rows[contract.pk]["download_url"].split("/")[2])[0]
        assert links.checked_url(payload) == f"/api/v1/documents/{contract.pk}/download/"

    def test_a_private_export_is_linked_only_for_its_owner(self, dupond, martin,
                                                           dupond_company):
        export = document_create(title="Export", filename="export.xlsx", content=b"PK\x03\x04",
                                 kind=DocumentKind.EXPORT, client_account=dupond_company,
                                 owner=dupond)
        rows = browser(dupond).get("/api/v1/documents/").json()["results"]
        link = next(row["download_url"] for row in rows if row["id"] == export.pk)
        assert browser(martin).get(link).status_code == 404
        assert Document.objects.filter(pk=export.pk).exists()
