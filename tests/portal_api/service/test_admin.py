"""The Action Center in the Wagtail admin, as a dispatcher uses it: the inbox (urgent first,
then the oldest; filters; unknown serial numbers flagged), a request with its attachments and
timeline, « Créer l'intervention » and « Clôturer avec une réponse » through the services, the
intervention showing where it came from; and who is kept out."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal_api.accounts.models import User
from portal_api.common.status import status_move
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from portal_api.service.factories import TicketEventFactory
from portal_api.service.models import Intervention, Ticket, TicketStatus
from portal_api.service.selectors import intervention_document_list
from portal_api.service.services import ticket_create

from .conftest import PDF_BYTES, image_bytes

PARIS = timezone.get_default_timezone()


def url(model, view: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def convert_url(ticket) -> str:
    return url(Ticket, "convert", ticket.pk)


def close_url(ticket) -> str:
    return url(Ticket, "close", ticket.pk)


def attachment_url(ticket, document) -> str:
    return url(Ticket, "attachment", ticket.pk, document.pk)


def content(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def dispatch_client(client, dispatcher):
    """The dispatcher (the « Planification » role, tests/conftest.py), logged in."""
    client.force_login(dispatcher)
    return client


@pytest.fixture
def urgent_ticket(dupond_company, martin, boiler, martin_contact):
    """M. Martin's urgent request on the boiler, with a photo and a PDF attached."""
    ticket = ticket_create(client_account=dupond_company, requester=martin,
                           description="La chaudière est en défaut F28, plus de chauffage.",
                           equipment=boiler, urgent=True, reply_to=martin_contact)
    for title, filename, data, kind in (
        ("Photo du défaut", "defaut.jpg", image_bytes("JPEG"), DocumentKind.PHOTO),
        ("Notice de la chaudière", "notice.pdf", PDF_BYTES, DocumentKind.ATTACHMENT),
    ):
        document_create(title=title, filename=filename, content=data, kind=kind,
                        client_account=dupond_company, related_object=ticket,
                        uploaded_by=martin)
    return ticket


def window(days: int = 1, hours: int = 2) -> tuple[datetime.datetime, datetime.datetime]:
    start = (timezone.localtime() + datetime.timedelta(days=days)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(hours=hours)


def convert_post(ticket, technicians, *, start=None, end=None, **overrides) -> dict:
    default_start, default_end = window()
    start, end = start or default_start, end or default_end
    equipment = ticket.equipment
    data = {
        "site": ticket.site_id or "",
        "equipment": ticket.equipment_id or "",
        "contract": (equipment.contract_id if equipment and equipment.contract_id else ""),
        "description": ticket.description,
        "technicians": [t.pk for t in technicians],
        "planned_start": start.strftime("%d/%m/%Y %H:%M"),
        "planned_end": end.strftime("%d/%m/%Y %H:%M"),
    }
    data.update(overrides)
    return data


# --- the inbox -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_lists_urgent_first_then_oldest(dispatch_client, dupond_company, other_company,
                                              urgent_ticket):
    old = ticket_create(client_account=dupond_company, requester=None, description="Ancienne")
    recent = ticket_create(client_account=other_company, requester=None, description="Récente")
    older_urgent = ticket_create(client_account=other_company, requester=None,
                                 description="Urgente aussi", urgent=True)
    closed = ticket_create(client_account=dupond_company, requester=None,
                           description="Traitée", urgent=True)
    with status_move():
        Ticket.objects.filter(pk=closed.pk).update(status=TicketStatus.CLOSED)
    for ticket, day in ((old, 1), (older_urgent, 2), (urgent_ticket, 3), (recent, 4)):
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=datetime.datetime(2026, 3, day, 8, tzinfo=datetime.UTC))

    response = dispatch_client.get(url(Ticket, "list"))
    assert response.status_code == 200
    page = content(response)
    # Waiting requests first: urgent, oldest first; then the others, oldest first; handled
    # ones last.
    expected = [older_urgent, urgent_ticket, old, recent, closed]
    positions = [page.index(t.number) for t in expected]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_inbox_filters_by_status_client_and_urgency(dispatch_client, dupond_company,
                                                    other_company, urgent_ticket):
    other = ticket_create(client_account=other_company, requester=None, description="Autre")
    calm = ticket_create(client_account=dupond_company, requester=None, description="Calme")
    listing = url(Ticket, "list")

    page = content(dispatch_client.get(listing, {"client_account": other_company.pk}))
    assert other.number in page and urgent_ticket.number not in page

    page = content(dispatch_client.get(listing, {"urgent": "true"}))
    assert urgent_ticket.number in page and calm.number not in page and other.number not in page

    with status_move():
        Ticket.objects.filter(pk=calm.pk).update(status=TicketStatus.CLOSED)
    page = content(dispatch_client.get(listing, {"status": TicketStatus.CLOSED}))
    assert calm.number in page and urgent_ticket.number not in page


@pytest.mark.django_db
def test_inbox_shows_a_typed_serial_matching_no_equipment(dispatch_client, dupond_company,
                                                          urgent_ticket):
    unknown = ticket_create(client_account=dupond_company, requester=None,
                            description="Pompe bruyante", serial_number_typed="XX-INCONNU-9")
    assert unknown.serial_unmatched and not urgent_ticket.serial_unmatched
    page = content(dispatch_client.get(url(Ticket, "list")))
    # The serial typed is shown (not « n° de série inconnu »), flagged to be identified, on
    # its own row; the other row shows its equipment's serial number.
    assert "N° de série inconnu" not in page
    rows = re.findall(r"<tr.*?</tr>", page, flags=re.S)
    flagged = [row for row in rows if "data-serial-unmatched" in row]
    assert len(flagged) == 1 and unknown.number in flagged[0]
    assert 'data-serial="XX-INCONNU-9"' in flagged[0]
    urgent_row = next(row for row in rows if urgent_ticket.number in row)
    assert f'data-serial="{urgent_ticket.equipment.serial_number}"' in urgent_row
    # Opening it says so too.
    page = content(dispatch_client.get(url(Ticket, "inspect", unknown.pk)))
    assert "XX-INCONNU-9" in page and "n° de série inconnu" in page


@pytest.mark.django_db
def test_inbox_rows_offer_the_two_actions(dispatch_client, urgent_ticket):
    page = content(dispatch_client.get(url(Ticket, "list")))
    assert convert_url(urgent_ticket) in page and close_url(urgent_ticket) in page
    assert "Créer l&#x27;intervention" in page and "Clôturer avec une réponse" in page


# --- a request: attachments and timeline ---------------------------------------------------------


@pytest.mark.django_db
def test_opening_a_request_shows_its_attachments_and_timeline(dispatch_client, urgent_ticket,
                                                              dispatcher):
    TicketEventFactory(ticket=urgent_ticket, status=TicketStatus.RECEIVED,
                       message="Demande reçue avec 2 pièces jointes.", actor=None)
    photo = Document.objects.get(title="Photo du défaut")
    for view in ("edit", "inspect"):
        response = dispatch_client.get(url(Ticket, view, urgent_ticket.pk))
        assert response.status_code == 200, view
        page = content(response)
        assert "Pièces jointes" in page, view
        assert "Photo du défaut" in page and "Notice de la chaudière" in page, view
        assert attachment_url(urgent_ticket, photo) in page, view
        assert "Historique de la demande" in page, view
        assert "Demande reçue avec 2 pièces jointes." in page, view
        # Never a storage URL.
        assert "/media/" not in page, view
        # Both actions in the header.
        assert convert_url(urgent_ticket) in page and close_url(urgent_ticket) in page, view


@pytest.mark.django_db
def test_an_attachment_downloads_as_an_attachment(dispatch_client, urgent_ticket,
                                                  dupond_company):
    photo = Document.objects.get(title="Photo du défaut")
    response = dispatch_client.get(attachment_url(urgent_ticket, photo))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()

    # A document that is not this request's is not reachable through it.
    stranger = document_create(title="Contrat", filename="contrat.pdf", content=PDF_BYTES,
                               kind=DocumentKind.CONTRACT, client_account=dupond_company)
    assert dispatch_client.get(attachment_url(urgent_ticket, stranger)).status_code == 404
    other = ticket_create(client_account=dupond_company, requester=None, description="Autre")
    assert dispatch_client.get(attachment_url(other, photo)).status_code == 404


# --- « Créer l'intervention » --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_convert_form_is_prefilled_from_the_request(dispatch_client, urgent_ticket, boiler,
                                                        julie, karim):
    response = dispatch_client.get(convert_url(urgent_ticket))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["site"].value() == boiler.site_id
    assert form["equipment"].value() == boiler.pk
    assert form["contract"].value() == boiler.contract_id  # proposed from the equipment
    assert form["description"].value() == urgent_ticket.description
    page = content(response)
    assert "Dupond Industrie" in page  # the client is shown
    assert "Photo du défaut" in page  # with the request's attachments
    # The technicians as checkboxes.
    for technician in (julie, karim):
        assert re.search(rf'type="checkbox" name="technicians" value="{technician.pk}"', page)
    assert "Julie Bernard" in page


@pytest.mark.django_db
def test_converting_carries_the_request_over(dispatch_client, urgent_ticket, boiler, julie,
                                             karim, django_capture_on_commit_callbacks):
    start, end = window()
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatch_client.post(
            convert_url(urgent_ticket),
            convert_post(urgent_ticket, [julie, karim], start=start, end=end),
            follow=True,
        )
    assert response.status_code == 200
    urgent_ticket.refresh_from_db()
    intervention = urgent_ticket.intervention
    assert intervention is not None
    assert intervention.client_account == urgent_ticket.client_account
    assert intervention.site == boiler.site and intervention.equipment == boiler
    assert intervention.contract == boiler.contract
    assert intervention.description == urgent_ticket.description
    assert set(intervention.technicians.all()) == {julie, karim}
    assert intervention.planned_start == start and intervention.planned_end == end
    # The request follows its intervention.
    assert urgent_ticket.status == TicketStatus.PLANNED
    # The attachments are among the intervention's documents.
    titles = {d.title for d in intervention_document_list(user=julie,
                                                          intervention=intervention)}
    assert {"Photo du défaut", "Notice de la chaudière"} <= titles

    # The success message names the intervention and links to it.
    edit = url(Intervention, "edit", intervention.pk)
    assert any(intervention.number in m for m in messages_of(response))
    page = content(response)
    assert edit in page
    # Back on the request: the link to the intervention, no more « Créer l'intervention ».
    assert convert_url(urgent_ticket) not in page

    # The intervention shows where it came from, and its documents.
    for view in ("edit", "inspect"):
        page = content(dispatch_client.get(url(Intervention, view, intervention.pk)))
        assert "Demande d&#x27;origine" in page, view
        assert url(Ticket, "edit", urgent_ticket.pk) in page, view
        assert "Photo du défaut" in page, view
    document = Document.objects.filter(title="Photo du défaut").first()
    download = url(Intervention, "document", intervention.pk, document.pk)
    response = dispatch_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["end_before_start", "no_technician", "no_window"])
def test_bad_input_shows_the_error_and_creates_nothing(dispatch_client, urgent_ticket, julie,
                                                       case):
    start, end = window()
    if case == "end_before_start":
        data = convert_post(urgent_ticket, [julie], start=start,
                            end=start - datetime.timedelta(hours=1))
        field = "planned_end"
    elif case == "no_technician":
        data = convert_post(urgent_ticket, [])
        field = "technicians"
    else:
        data = convert_post(urgent_ticket, [julie]) | {"planned_start": ""}
        field = "planned_start"
    response = dispatch_client.post(convert_url(urgent_ticket), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "rien n&#x27;a été enregistré" in content(response)
    assert Intervention.objects.count() == 0
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.intervention is None and urgent_ticket.status == TicketStatus.RECEIVED


@pytest.mark.django_db
def test_equipment_of_another_site_is_refused(dispatch_client, urgent_ticket, julie,
                                              dupond_company):
    from portal_api.accounts.factories import SiteFactory

    other_site = SiteFactory(client_account=dupond_company, name="Entrepôt")
    response = dispatch_client.post(convert_url(urgent_ticket),
                                    convert_post(urgent_ticket, [julie], site=other_site.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["equipment"]
    assert Intervention.objects.count() == 0


@pytest.mark.django_db
def test_a_converted_or_closed_request_offers_no_conversion(dispatch_client, urgent_ticket,
                                                            julie, dupond_company):
    assert dispatch_client.post(convert_url(urgent_ticket),
                                convert_post(urgent_ticket, [julie])).status_code == 302
    assert Intervention.objects.count() == 1
    urgent_ticket.refresh_from_db()

    page = content(dispatch_client.get(url(Ticket, "edit", urgent_ticket.pk)))
    assert convert_url(urgent_ticket) not in page
    page = content(dispatch_client.get(url(Ticket, "list")))
    assert convert_url(urgent_ticket) not in page

    # A second POST (another tab, a double click) is refused with a clear message.
    response = dispatch_client.post(convert_url(urgent_ticket),
                                    convert_post(urgent_ticket, [julie]), follow=True)
    assert Intervention.objects.count() == 1
    assert any("déjà été convertie" in m and urgent_ticket.intervention.number in m
               for m in messages_of(response))

    closed = ticket_create(client_account=dupond_company, requester=None, description="Close")
    with status_move():
        Ticket.objects.filter(pk=closed.pk).update(status=TicketStatus.CLOSED)
    page = content(dispatch_client.get(url(Ticket, "edit", closed.pk)))
    assert convert_url(closed) not in page and close_url(closed) not in page
    response = dispatch_client.post(convert_url(closed), convert_post(closed, [julie]),
                                    follow=True)
    assert Intervention.objects.count() == 1
    assert any("clôturée" in m for m in messages_of(response))
    response = dispatch_client.post(close_url(closed), {"answer": "Encore"}, follow=True)
    assert any("déjà clôturée" in m for m in messages_of(response))


# --- « Clôturer avec une réponse » ---------------------------------------------------------------


@pytest.mark.django_db
def test_closing_requires_an_answer(dispatch_client, urgent_ticket,
                                    django_capture_on_commit_callbacks):
    page = content(dispatch_client.get(close_url(urgent_ticket)))
    assert "martin@dupond-industrie.fr" in page  # who will receive the answer
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatch_client.post(close_url(urgent_ticket), {"answer": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["answer"]
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.status == TicketStatus.RECEIVED and not urgent_ticket.answer
    assert mail.outbox == []


@pytest.mark.django_db
def test_closing_emails_the_answer_to_the_reply_to_contact(dispatch_client, urgent_ticket,
                                                           martin_contact,
                                                           django_capture_on_commit_callbacks):
    answer = "Le défaut F28 vient d'un manque de gaz : le robinet était fermé."
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatch_client.post(close_url(urgent_ticket), {"answer": answer},
                                        follow=True)
    assert response.status_code == 200
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.status == TicketStatus.CLOSED
    assert urgent_ticket.answer == answer and urgent_ticket.closed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [martin_contact.email]
    assert any(urgent_ticket.number in m and "clôturée" in m for m in messages_of(response))
    # The timeline says so.
    page = content(dispatch_client.get(url(Ticket, "edit", urgent_ticket.pk)))
    assert "Clôturée" in page and close_url(urgent_ticket) not in page


# --- who is kept out -----------------------------------------------------------------------------


def action_center_urls(ticket, intervention=None) -> list[str]:
    photo = Document.objects.filter(title="Photo du défaut").first()
    urls = [url(Ticket, "list"), url(Ticket, "edit", ticket.pk),
            url(Ticket, "inspect", ticket.pk), convert_url(ticket), close_url(ticket),
            attachment_url(ticket, photo)]
    if intervention is not None:
        urls.append(url(Intervention, "document", intervention.pk, photo.pk))
    return urls


def assert_refused(response, target):
    assert response.status_code in (302, 403), target
    if response.status_code == 302:
        assert (response.url.startswith(reverse("wagtailadmin_login"))
                or response.url == reverse("wagtailadmin_home")), target


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "client"])
def test_clients_and_anonymous_users_get_no_access(client, urgent_ticket, martin, julie,
                                                   intervention, who):
    if who == "client":
        client.force_login(martin)
    for target in action_center_urls(urgent_ticket, intervention):
        response = client.get(target)
        assert_refused(response, target)
        if who == "anonymous":
            assert response.status_code == 302
            assert response.url.startswith(reverse("wagtailadmin_login")), target
    response = client.post(convert_url(urgent_ticket), convert_post(urgent_ticket, [julie]))
    assert_refused(response, "convert")
    response = client.post(close_url(urgent_ticket), {"answer": "Non."})
    assert_refused(response, "close")
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.intervention is None and urgent_ticket.status == TicketStatus.RECEIVED
    assert Intervention.objects.filter(pk__gt=intervention.pk).count() == 0
    assert mail.outbox == []


def assert_denied(response, target):
    """A user in the admin refused a screen: Wagtail turns the 403 into a redirect to the
    dashboard, with its « no permission » message (not the login page: he is logged in)."""
    assert response.status_code in (302, 403), target
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home"), target


def with_admin_door(user, *codenames: str):
    """Give the user the admin's door (`wagtailadmin.access_admin`) and the given Django
    model permissions of the service, in a group of its own."""
    group = Group.objects.create(name=f"Essai {user.pk}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label="service",
                                                     codename=codename))
    user.groups.add(group)
    return user


@pytest.mark.django_db
def test_django_model_permissions_open_nothing(client, urgent_ticket, julie, intervention,
                                               staff_without_role):
    """The admin asks `rules`: Django's model permissions on requests and interventions,
    without a role, open none of the Action Center."""
    client.force_login(with_admin_door(staff_without_role, "view_ticket", "change_ticket",
                                       "add_intervention", "change_intervention"))
    for target in action_center_urls(urgent_ticket, intervention):
        assert_refused(client.get(target), target)
    assert_refused(client.post(convert_url(urgent_ticket),
                               convert_post(urgent_ticket, [julie])), "convert")
    assert_refused(client.post(close_url(urgent_ticket), {"answer": "Non."}), "close")
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.intervention is None and urgent_ticket.status == TicketStatus.RECEIVED
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sales_admin", "content_editor"])
def test_roles_without_the_service_are_refused(client, request, urgent_ticket, julie,
                                               intervention, role):
    """Sales administration and the content editor open the admin, not the Action Center."""
    client.force_login(request.getfixturevalue(role))
    for target in action_center_urls(urgent_ticket, intervention):
        assert_denied(client.get(target), target)
    assert_denied(client.post(convert_url(urgent_ticket), convert_post(urgent_ticket, [julie])),
                  "convert")
    assert_denied(client.post(close_url(urgent_ticket), {"answer": "Non."}), "close")
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.intervention is None and urgent_ticket.status == TicketStatus.RECEIVED
    assert mail.outbox == []


@pytest.mark.django_db
def test_reading_requests_is_not_handling_them(client, urgent_ticket, julie, team_lead):
    """A team lead given the admin's door reads every request and its files (his role reaches
    them) but handles none: converting and closing are the dispatcher's rules."""
    client.force_login(with_admin_door(team_lead))
    assert client.get(url(Ticket, "list")).status_code == 200
    page = content(client.get(url(Ticket, "inspect", urgent_ticket.pk)))
    assert "Photo du défaut" in page
    assert convert_url(urgent_ticket) not in page and close_url(urgent_ticket) not in page
    photo = Document.objects.get(title="Photo du défaut")
    assert client.get(attachment_url(urgent_ticket, photo)).status_code == 200
    assert_denied(client.get(url(Ticket, "edit", urgent_ticket.pk)), "edit")
    assert_denied(client.get(convert_url(urgent_ticket)), "convert")
    assert_denied(client.post(convert_url(urgent_ticket), convert_post(urgent_ticket, [julie])),
                  "convert")
    assert_denied(client.post(close_url(urgent_ticket), {"answer": "Non."}), "close")
    assert Intervention.objects.count() == 0


@pytest.mark.django_db
def test_a_request_beyond_the_reach_is_a_404(client, urgent_ticket, julie, intervention):
    """Julie, a technician limited to her interventions, given the admin's door: the request
    that is not one of hers is absent from the list and a 404 on every screen (her role may
    read requests: not a 403); her own intervention opens."""
    client.force_login(with_admin_door(julie))
    assert urgent_ticket.number not in content(client.get(url(Ticket, "list")))
    photo = Document.objects.get(title="Photo du défaut")
    for target in (url(Ticket, "inspect", urgent_ticket.pk),
                   attachment_url(urgent_ticket, photo)):
        assert client.get(target).status_code == 404, target
    # Converting and closing are not hers at all: the right first.
    assert_denied(client.get(convert_url(urgent_ticket)), "convert")
    assert julie in intervention.technicians.all()
    assert client.get(url(Intervention, "inspect", intervention.pk)).status_code == 200


@pytest.mark.django_db
def test_the_inbox_runs_a_constant_number_of_queries(dispatch_client, dupond_company, boiler,
                                                     julie):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal_api.service.services import ticket_convert

    def make(count):
        for i in range(count):
            ticket = ticket_create(client_account=dupond_company, requester=None,
                                   description=f"Demande {i}", equipment=boiler if i % 2 else None,
                                   serial_number_typed="" if i % 2 else f"INCONNU-{i}",
                                   urgent=bool(i % 3))
            if i % 4 == 0:
                ticket_convert(ticket=ticket, by=None, technicians=[julie], site=boiler.site)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert dispatch_client.get(url(Ticket, "list")).status_code == 200
        return len(queries)

    make(3)
    dispatch_client.get(url(Ticket, "list"))  # warm the caches (content types, permissions)
    few = count_queries()
    make(12)
    assert count_queries() == few


@pytest.mark.django_db
def test_a_dispatcher_created_in_the_admin_runs_the_action_center(client, administrator,
                                                                  urgent_ticket, julie):
    """The administrator creates a colleague in the admin's user screen with the
    « Planification » role; logged in, she opens the Action Center and converts a request."""
    client.force_login(administrator)
    response = client.post(reverse("wagtailusers_users:add"), {
        "email": "claire.planif@atelier-portal.fr", "first_name": "Claire",
        "last_name": "Planif", "is_staff": "on",
        "groups": [Group.objects.get(name="Planification").pk],
        "password1": "Un-mot-de-passe-solide-2026", "password2": "Un-mot-de-passe-solide-2026",
    })
    assert response.status_code == 302, response.content.decode()
    client.force_login(User.objects.get(email="claire.planif@atelier-portal.fr"))
    page = content(client.get(url(Ticket, "list")))
    assert urgent_ticket.number in page and convert_url(urgent_ticket) in page
    assert client.get(convert_url(urgent_ticket)).status_code == 200
    response = client.post(convert_url(urgent_ticket), convert_post(urgent_ticket, [julie]))
    assert response.status_code == 302
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.intervention is not None
    assert urgent_ticket.status == TicketStatus.PLANNED
    assert list(urgent_ticket.intervention.technicians.all()) == [julie]


# --- issue 12: urgency, typed serial and site, the date picker, the requester ----------------


@pytest.mark.django_db
def test_urgent_is_a_red_tag_in_the_inbox_and_on_the_request(dispatch_client, urgent_ticket):
    page = content(dispatch_client.get(url(Ticket, "list")))
    row = next(r for r in re.findall(r"<tr.*?</tr>", page, flags=re.S)
               if urgent_ticket.number in r)
    assert 'class="w-status portal-urgent"' in row
    # The tag is Wagtail's critical red, not its grey flag.
    assert re.search(r"\.w-status\.portal-urgent \{ background: var\(--w-color-critical-200\)",
                     page)
    page = content(dispatch_client.get(convert_url(urgent_ticket)))
    assert 'class="w-status portal-urgent"' in page


@pytest.mark.django_db
def test_the_convert_form_loads_the_date_time_chooser_before_calling_it(dispatch_client,
                                                                       urgent_ticket):
    page = content(dispatch_client.get(convert_url(urgent_ticket)))
    script = page.find("wagtailadmin/js/date-time-chooser.js")
    call = page.find('initDateTimeChooser("id_planned_start"')
    assert script != -1 and call != -1 and script < call
    # What is typed stays as typed (the picker's default swaps it for "now" on blur).
    assert '"validateOnBlur": false' in page
    assert page.count("JJ/MM/AAAA HH:MM, par exemple 28/11/2026 08:30.") == 2


@pytest.mark.django_db
def test_the_planned_window_takes_one_format(dispatch_client, urgent_ticket, julie):
    start, end = window()
    data = convert_post(urgent_ticket, [julie], start=start, end=end) | {
        "planned_start": start.strftime("%Y-%m-%d %H:%M")}
    response = dispatch_client.post(convert_url(urgent_ticket), data)
    assert response.status_code == 200
    assert response.context["form"].errors["planned_start"] == [
        "Saisissez la date et l'heure au format JJ/MM/AAAA HH:MM (par exemple 28/11/2026 "
        "08:30)."]
    assert Intervention.objects.count() == 0


@pytest.fixture
def typed_ticket(dupond_company, martin, dupond_site):
    """M. Martin's urgent request for a serial number none of the company's equipment
    carries, at the company's second site (its first one is dupond_site)."""
    from portal_api.accounts.factories import SiteFactory

    office = SiteFactory(client_account=dupond_company, name="Siège social")
    return ticket_create(client_account=dupond_company, requester=martin,
                         description="Le climatiseur goutte.", serial_number_typed="DKN-7731",
                         site=office, urgent=True)


@pytest.mark.django_db
def test_a_typed_serial_converts_on_the_requests_site_and_is_kept(dispatch_client, typed_ticket,
                                                                  julie, dupond_site):
    response = dispatch_client.get(convert_url(typed_ticket))
    form = response.context["form"]
    # The request's site, not the company's first one.
    assert form["site"].value() == typed_ticket.site_id != dupond_site.pk
    page = content(response)
    assert "DKN-7731" in page and "Siège social" in page
    assert "N° de série inconnu" not in page

    assert dispatch_client.post(convert_url(typed_ticket),
                                convert_post(typed_ticket, [julie])).status_code == 302
    typed_ticket.refresh_from_db()
    intervention = typed_ticket.intervention
    assert intervention.site == typed_ticket.site and intervention.equipment is None
    assert intervention.serial_number_typed == "DKN-7731" and intervention.urgent
    page = content(dispatch_client.get(url(Intervention, "list")))
    row = next(r for r in re.findall(r"<tr.*?</tr>", page, flags=re.S)
               if intervention.number in r)
    assert 'class="w-status portal-urgent"' in row


@pytest.mark.django_db
def test_a_request_without_site_gets_none_preselected(dispatch_client, dupond_company, martin,
                                                      dupond_site, julie):
    from portal_api.accounts.factories import SiteFactory
    from portal_api.service.factories import TicketFactory

    SiteFactory(client_account=dupond_company, name="Siège social")
    ticket = TicketFactory(client_account=dupond_company, requester=martin, site=None,
                           equipment=None, serial_number_typed="OLD-1")
    response = dispatch_client.get(convert_url(ticket))
    assert response.context["form"]["site"].value() is None
    assert re.search(r'<option value="" selected>— Choisissez le site —</option>',
                     content(response))
    response = dispatch_client.post(convert_url(ticket), convert_post(ticket, [julie]))
    assert response.context["form"].errors["site"] == ["Choisissez le site de l'intervention."]
    assert Intervention.objects.count() == 0


@pytest.mark.django_db
def test_the_requester_is_one_of_the_companys_portal_users(dispatch_client, urgent_ticket,
                                                          martin, dupond, other_manager,
                                                          julie, dispatcher):
    edit = url(Ticket, "edit", urgent_ticket.pk)
    response = dispatch_client.get(edit)
    offered = set(response.context["form"].fields["requester"].queryset)
    assert offered == {martin, dupond}
    page = content(response)
    select = re.search(r'<select name="requester".*?</select>', page, flags=re.S).group(0)
    assert other_manager.email not in select and julie.email not in select

    # Posted anyway, another company's user is refused on the field; nothing changes.
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items()
            if name in form.fields and value is not None}
    data.update(client_account=urgent_ticket.client_account_id, requester=other_manager.pk,
                description=urgent_ticket.description, urgent="on",
                equipment=urgent_ticket.equipment_id, site=urgent_ticket.site_id,
                reply_to=urgent_ticket.reply_to_id)
    response = dispatch_client.post(edit, data)
    assert response.status_code == 200
    assert response.context["form"].errors["requester"] == [
        "Choisissez un utilisateur du portail de ce client."]
    urgent_ticket.refresh_from_db()
    assert urgent_ticket.requester == martin
