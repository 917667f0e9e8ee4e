"""Writes of the service: requests (the Action Center), interventions and their sheet, the
customer's signature and the report PDF.

Every write takes keyword-only arguments, runs in one transaction and raises ServiceError with
the field named for bad input (400) or a state that forbids it (409: a signed sheet is locked).
A request's status follows its intervention; each change is a TicketEvent (the timeline the
client sees).
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from portal_api.accounts.models import ClientAccount, Contact, Site, User
from portal_api.billing.models import Contract
from portal_api.catalog.models import Article
from portal_api.common.errors import ServiceError
from portal_api.common.services import number_sequence_next
from portal_api.common.status import status_move, status_move_check
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from portal_api.documents.uploads import CleanUpload, upload_validate

from .models import (
    Equipment,
    Expense,
    ExpenseKind,
    Intervention,
    InterventionLine,
    InterventionStatus,
    MeterReading,
    Ticket,
    TicketEvent,
    TicketStatus,
    TimeEntry,
    TimeEntryKind,
)

IS, TS = InterventionStatus, TicketStatus

# What a request's status becomes when its intervention reaches a status.
TICKET_STATUS_FOR = {
    IS.TO_PLAN: TS.IN_PROGRESS,
    IS.PLANNED: TS.PLANNED,
    IS.IN_PROGRESS: TS.PLANNED,
    IS.DONE: TS.DONE,
    IS.CLOSED: TS.CLOSED,
    IS.CANCELLED: TS.IN_PROGRESS,
}

# The sheet's times, in the order they happen.
SHEET_TIMES = ("departure_at", "arrival_at", "end_at", "return_at")
SHEET_FIELDS = frozenset({*SHEET_TIMES, "meter_reading", "work_done", "comments",
                          "under_warranty", "contract"})


def _refuse(field: str, message: str, *, code: str = "invalid") -> ServiceError:
    return ServiceError(message, code=code, fields={field: [message]})


def _local(moment: datetime.datetime) -> str:
    """« 12/03/2026 à 09:00 », in the project's time zone."""
    moment = timezone.localtime(moment)
    return _("%(date)s à %(time)s") % {"date": moment.strftime("%d/%m/%Y"),
                                        "time": moment.strftime("%H:%M")}


# --- Equipment ---------------------------------------------------------------------------------

@transaction.atomic
def equipment_create(
    *, client_account: ClientAccount, site: Site, serial_number: str, label: str = "",
    brand: str = "", model: str = "", install_date: datetime.date | None = None,
    warranty_end: datetime.date | None = None, contract: Contract | None = None,
) -> Equipment:
    equipment = Equipment(client_account=client_account, site=site, serial_number=serial_number,
                          label=label, brand=brand, model=model, install_date=install_date,
                          warranty_end=warranty_end, contract=contract)
    equipment.full_clean()
    equipment.save()
    return equipment


# --- Requests (the Action Center) --------------------------------------------------------------

def ticket_event_add(*, ticket: Ticket, message: str, actor: User | None = None,
                     status: str | None = None,
                     at: datetime.datetime | None = None) -> TicketEvent:
    """One step of the request's timeline (its current status unless told)."""
    return TicketEvent.objects.create(ticket=ticket, status=status or ticket.status,
                                      message=message, actor=actor,
                                      created_at=at or timezone.now())


@status_move()
def _ticket_move(ticket: Ticket, status: str, *, message: str,
                 actor: User | None = None) -> bool:
    """Move the request to a status and say so in its timeline; nothing when unchanged."""
    if ticket.status == status:
        return False
    ticket.status = status
    changed = ["status", "updated_at"]
    if status == TS.CLOSED:
        ticket.closed_at = timezone.now()
        changed.append("closed_at")
    ticket.save(update_fields=changed)
    ticket_event_add(ticket=ticket, message=message, actor=actor)
    return True


def _status_message(intervention: Intervention) -> str:
    number = intervention.number
    status = intervention.status
    if status == IS.TO_PLAN:
        return _("Intervention %(number)s créée : elle sera planifiée prochainement.") % {
            "number": number}
    if status == IS.PLANNED:
        if intervention.planned_start:
            return _("Intervention %(number)s planifiée le %(when)s.") % {
                "number": number, "when": _local(intervention.planned_start)}
        return _("Intervention %(number)s planifiée.") % {"number": number}
    if status == IS.IN_PROGRESS:
        return _("Intervention %(number)s en cours.") % {"number": number}
    if status == IS.DONE:
        if intervention.signed_at is None:
            return _("Intervention %(number)s réalisée.") % {"number": number}
        return _("Intervention %(number)s réalisée : le bon d'intervention signé est "
                 "disponible.") % {"number": number}
    if status == IS.CLOSED:
        return _("Intervention %(number)s clôturée.") % {"number": number}
    return _("Intervention %(number)s annulée : votre demande reste suivie par nos "
             "services.") % {"number": number}


def ticket_follow_intervention(*, intervention: Intervention, actor: User | None = None,
                               message: str = "") -> Ticket | None:
    """The request an intervention came from takes the status matching the intervention's
    (a closed request stays closed); each change is a step of its timeline. Call it after
    any change of an intervention's status."""
    ticket = (Ticket.objects.select_for_update().filter(intervention_id=intervention.pk)
              .first())
    if ticket is None or ticket.status == TS.CLOSED:
        return ticket
    _ticket_move(ticket, TICKET_STATUS_FOR[intervention.status],
                       message=message or _status_message(intervention), actor=actor)
    return ticket


def _check_company(field: str, obj, client_account_id: int, message: str) -> None:
    if obj is not None and obj.client_account_id != client_account_id:
        raise _refuse(field, message)


def _store_uploads(uploads: Sequence[CleanUpload], *, obj, client_account: ClientAccount | None,
                   by: User | None, kind: str | None = None) -> list[Document]:
    return [
        document_create(title=upload.filename, filename=upload.filename,
                        content=upload.content, kind=kind or upload.kind,
                        client_account=client_account, related_object=obj, uploaded_by=by,
                        content_type=upload.content_type)
        for upload in uploads
    ]


def _only_site(client_account: ClientAccount, *, required: bool) -> Site | None:
    """The company's only active site. With several, the client must say which when
    `required` (a serial number typed: 400 on ``site``), else none is chosen; with none,
    nothing to choose (the staff set it on conversion)."""
    sites = list(Site.objects.filter(client_account=client_account, active=True)[:2])
    if len(sites) > 1:
        if required:
            raise _refuse("site", _("Indiquez le site où se trouve l'équipement."))
        return None
    return sites[0] if sites else None


def _ticket_number() -> str:
    year = timezone.localdate().year
    return f"DI-{year}-{number_sequence_next(name='ticket', year=year):06d}"


@transaction.atomic
def ticket_create(
    *, client_account: ClientAccount, requester: User | None, description: str,
    equipment: Equipment | None = None, serial_number_typed: str = "", urgent: bool = False,
    reply_to: Contact | None = None, attachments: Iterable = (), idempotency_key: str = "",
    site: Site | None = None,
) -> Ticket:
    """File a client's request. The equipment is one of the company's, or a serial number
    typed by hand (linked when it matches one of the company's equipment, else flagged for
    the staff); attachments are checked by content and stored in the GED; the staff are
    e-mailed. The same idempotency key (per requester) returns the same request.

    The site is the equipment's; without equipment it is the `site` given, required for a
    typed serial number when the company has several active sites (its only one otherwise),
    so that nobody has to guess where to go."""
    key = (idempotency_key or "").strip()[:80] if requester is not None else ""
    if key:
        previous = Ticket.objects.filter(requester=requester, idempotency_key=key).first()
        if previous is not None:
            return previous
    description = (description or "").strip()
    if not description:
        raise _refuse("description", _("Décrivez le problème."))
    _check_company("equipment", equipment, client_account.pk, _("Cet équipement n'existe pas."))
    _check_company("reply_to", reply_to, client_account.pk, _("Ce contact n'existe pas."))
    if reply_to is not None and not reply_to.active:
        raise _refuse("reply_to", _("Ce contact n'existe pas."))
    _check_company("site", site, client_account.pk, _("Ce site n'existe pas."))
    serial_number_typed = (serial_number_typed or "").strip()[:60]
    if equipment is None and serial_number_typed:
        equipment = Equipment.objects.filter(
            client_account=client_account, serial_number__iexact=serial_number_typed,
        ).select_related("site").first()
    if equipment is not None:
        site = equipment.site
    elif site is None:
        site = _only_site(client_account, required=bool(serial_number_typed))
    uploads = upload_validate(files=attachments, field="attachments")

    try:
        # A savepoint: a concurrent twin of this request (same key) makes the insert fail;
        # its number goes back to the sequence and the twin's ticket is returned.
        with transaction.atomic():
            ticket = Ticket(
                number=_ticket_number(), client_account=client_account, requester=requester,
                description=description, equipment=equipment,
                serial_number_typed=serial_number_typed,
                site=site, urgent=urgent, reply_to=reply_to,
                idempotency_key=key,
            )
            ticket.full_clean(validate_constraints=False)
            ticket.save()
    except IntegrityError:
        if not key:
            raise
        return Ticket.objects.get(requester=requester, idempotency_key=key)
    _store_uploads(uploads, obj=ticket, client_account=client_account, by=requester)
    ticket_event_add(ticket=ticket, actor=requester, message=(
        _("Demande urgente reçue.") if urgent else _("Demande reçue.")))
    from workflows.tasks.service import ticket_notify_staff_task

    ticket_notify_staff_task.delay_on_commit(ticket.pk)
    return ticket


def _check_technicians(technicians: Iterable[User]) -> list[User]:
    technicians = list(technicians)
    for user in technicians:
        profile = getattr(user, "technician_profile", None) if user.is_staff else None
        if not (user.is_active and profile is not None and profile.active):
            raise _refuse("technicians", _("%(name)s n'est pas un technicien actif.") % {
                "name": str(user)})
    return technicians


@transaction.atomic
def ticket_convert(
    *, ticket: Ticket, by: User | None, technicians: Iterable[User] = (),
    planned_start: datetime.datetime | None = None,
    planned_end: datetime.datetime | None = None, equipment: Equipment | None = None,
    site: Site | None = None, contract: Contract | None = None, description: str | None = None,
) -> Intervention:
    """Turn a request into an intervention in one action: client, site, equipment, contract
    and description carried over (each may be changed), technicians and window chosen; the
    serial number the client typed and the urgency go with it; the request's attachments
    appear among the intervention's documents and its status follows the intervention from
    now on."""
    ticket = (Ticket.objects.select_for_update(of=("self",))
              .select_related("equipment__site", "site").get(pk=ticket.pk))
    if ticket.intervention_id is not None:
        raise ServiceError(_("Cette demande a déjà été convertie en intervention."),
                           code="already_converted", status_code=409)
    if ticket.status == TS.CLOSED:
        raise ServiceError(_("Cette demande est clôturée."), code="closed", status_code=409)
    equipment = equipment or ticket.equipment
    _check_company("equipment", equipment, ticket.client_account_id,
                   _("Cet équipement n'existe pas."))
    site = site or (equipment.site if equipment else None) or ticket.site
    if site is None:
        raise _refuse("site", _("Choisissez le site de l'intervention."))
    return intervention_create(
        client_account=ticket.client_account, site=site, created_by=by, equipment=equipment,
        description=ticket.description if description is None else description,
        technicians=technicians, planned_start=planned_start, planned_end=planned_end,
        contract=contract, ticket=ticket, serial_number_typed=ticket.serial_number_typed,
        urgent=ticket.urgent,
    )


@transaction.atomic
def ticket_close(*, ticket: Ticket, by: User | None, answer: str) -> Ticket:
    """Close a request with an answer, e-mailed to its reply-to contact (or the requester)."""
    answer = (answer or "").strip()
    if not answer:
        raise _refuse("answer", _("Rédigez la réponse envoyée au client."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == TS.CLOSED:
        raise ServiceError(_("Cette demande est déjà clôturée."), code="closed",
                           status_code=409)
    ticket.answer = answer
    ticket.save(update_fields=["answer", "updated_at"])
    _ticket_move(ticket, TS.CLOSED, message=answer, actor=by)
    from workflows.tasks.service import ticket_notify_answered_task

    ticket_notify_answered_task.delay_on_commit(ticket.pk)
    return ticket


@transaction.atomic
def ticket_acknowledge(*, ticket: Ticket, by: User | None, message: str = "") -> Ticket:
    """« Prendre en charge »: a received request, not converted, is in progress; the client
    sees it in the timeline."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != TS.RECEIVED or ticket.intervention_id is not None:
        raise ServiceError(_("Cette demande est déjà prise en charge."), code="not_received",
                           status_code=409)
    _ticket_move(ticket, TS.IN_PROGRESS, actor=by,
                 message=(message or "").strip() or _("Demande prise en charge par nos "
                                                      "services."))
    return ticket


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, status: str, by: User | None,
                      reason: str = "") -> Ticket:
    """Move a request to a status of its pipeline (Ticket.STATUS_MOVES): closed with `reason`
    as the answer e-mailed to the client (required), or in progress (taken in charge, `reason`
    written in its timeline). Planned and done follow its intervention: change the
    intervention's status. A move not in the pipeline is a 409."""
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("intervention").get(
        pk=ticket.pk)
    status_move_check(locked, status)
    if status == TS.CLOSED:
        if not (reason or "").strip():
            raise _refuse("reason", _("Rédigez la réponse envoyée au client."))
        return ticket_close(ticket=locked, by=by, answer=reason)
    if locked.intervention_id is not None:
        raise ServiceError(
            _("Le statut de la demande %(ticket)s suit celui de son intervention "
              "%(intervention)s : changez le statut de l'intervention.") % {
                "ticket": locked.number, "intervention": locked.intervention.number},
            code="follows_intervention", status_code=409,
        )
    if status == TS.IN_PROGRESS:
        return ticket_acknowledge(ticket=locked, by=by, message=reason)
    raise ServiceError(
        _("La demande %(ticket)s n'a pas d'intervention : créez-la d'abord.") % {
            "ticket": locked.number},
        code="no_intervention", status_code=409,
    )


def _ticket_email_context(ticket: Ticket) -> dict:
    return {
        "ticket": ticket, "client": ticket.client_account, "requester": ticket.requester,
        "attachments": list(ticket.documents.order_by("created_at", "id")),
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        "admin_path": reverse("wagtailsnippets_service_ticket:edit", args=[ticket.pk]),
    }


@transaction.atomic
def ticket_notify_staff(*, ticket_id: int) -> bool:
    """E-mail the staff about a new request; an urgent one says so first in the subject.
    At most once per request."""
    ticket = (Ticket.objects.select_for_update(of=("self",))
              .select_related("client_account", "requester", "equipment__site", "site",
                              "reply_to")
              .filter(pk=ticket_id).first())
    if ticket is None or ticket.staff_notified_at is not None:
        return False
    recipients = list(settings.STAFF_NOTIFICATION_EMAILS)
    if recipients:
        context = _ticket_email_context(ticket)
        with translation.override(settings.LANGUAGE_CODE):
            EmailMessage(
                subject=render_to_string("service/email/ticket_staff_subject.txt",
                                         context).strip(),
                body=render_to_string("service/email/ticket_staff_body.txt", context),
                to=recipients,
                reply_to=[ticket.requester.email] if ticket.requester
                and ticket.requester.email else None,
            ).send()
    ticket.staff_notified_at = timezone.now()
    ticket.save(update_fields=["staff_notified_at"])
    return True


def ticket_answer_recipient(ticket: Ticket) -> str:
    """Who receives the answer: the reply-to contact, else the requester ("" if neither has
    an e-mail)."""
    if ticket.reply_to_id and ticket.reply_to.email:
        return ticket.reply_to.email
    if ticket.requester_id and ticket.requester.email:
        return ticket.requester.email
    return ""


@transaction.atomic
def ticket_notify_answered(*, ticket_id: int) -> bool:
    """E-mail the answer of a closed request to its reply-to contact (or the requester).
    At most once per request."""
    ticket = (Ticket.objects.select_for_update(of=("self",))
              .select_related("client_account", "requester", "reply_to", "intervention")
              .filter(pk=ticket_id).first())
    if (ticket is None or ticket.answered_notified_at is not None
            or ticket.status != TS.CLOSED or not ticket.answer):
        return False
    recipient = ticket_answer_recipient(ticket)
    if recipient:
        context = _ticket_email_context(ticket) | {
            "name": (str(ticket.reply_to) if ticket.reply_to_id and ticket.reply_to.email
                     else ticket.requester.get_full_name() if ticket.requester_id else ""),
        }
        with translation.override(settings.LANGUAGE_CODE):
            EmailMessage(
                subject=render_to_string("service/email/ticket_answer_subject.txt",
                                         context).strip(),
                body=render_to_string("service/email/ticket_answer_body.txt", context),
                to=[recipient],
            ).send()
    ticket.answered_notified_at = timezone.now()
    ticket.save(update_fields=["answered_notified_at"])
    return bool(recipient)


# --- Interventions -----------------------------------------------------------------------------

def _intervention_number() -> str:
    year = timezone.localdate().year
    return f"BI-{year}-{number_sequence_next(name='intervention', year=year):06d}"


def _visit_day(intervention: Intervention) -> datetime.date:
    moment = intervention.arrival_at or intervention.planned_start
    return timezone.localdate(moment) if moment else timezone.localdate()


def intervention_warranty_proposed(*, intervention: Intervention) -> bool:
    """Under the equipment's warranty on the day of the visit (arrival, else the planned
    start, else today)."""
    equipment = intervention.equipment
    return bool(equipment and equipment.warranty_end
                and equipment.warranty_end >= _visit_day(intervention))


def intervention_contract_proposed(*, intervention: Intervention) -> Contract | None:
    """The equipment's contract when it is active and covers the day of the visit."""
    equipment = intervention.equipment
    contract = equipment.contract if equipment else None
    day = _visit_day(intervention)
    if contract is None or not contract.active or not (
            contract.start_date <= day <= contract.end_date):
        return None
    return contract


@transaction.atomic
@status_move()
def intervention_create(
    *, client_account: ClientAccount, site: Site, created_by: User | None,
    equipment: Equipment | None = None, description: str = "",
    technicians: Iterable[User] = (), planned_start: datetime.datetime | None = None,
    planned_end: datetime.datetime | None = None, ticket: Ticket | None = None,
    contract: Contract | None = None, serial_number_typed: str = "", urgent: bool = False,
) -> Intervention:
    """A new intervention; contract and warranty are proposed from the equipment (unless a
    contract is given). Planned when it has technicians and a start, else to plan. Created
    from a ticket, it links to it and the ticket's status follows. `serial_number_typed`:
    the serial the client typed, kept for the technician when no equipment is linked."""
    _check_company("site", site, client_account.pk, _("Ce site n'existe pas."))
    _check_company("equipment", equipment, client_account.pk,
                   _("Cet équipement n'existe pas."))
    _check_company("contract", contract, client_account.pk, _("Ce contrat n'existe pas."))
    technicians = _check_technicians(technicians)
    if planned_start and planned_end and planned_end < planned_start:
        raise _refuse("planned_end", _("La fin prévue ne peut précéder le début prévu."))
    intervention = Intervention(
        number=_intervention_number(), client_account=client_account, site=site,
        equipment=equipment, description=(description or "").strip(),
        serial_number_typed=(serial_number_typed or "").strip()[:60], urgent=urgent,
        planned_start=planned_start, planned_end=planned_end, created_by=created_by,
        status=IS.PLANNED if planned_start and technicians else IS.TO_PLAN,
    )
    intervention.contract = contract or intervention_contract_proposed(
        intervention=intervention)
    intervention.under_warranty = intervention_warranty_proposed(intervention=intervention)
    intervention.full_clean(validate_constraints=False)
    intervention.save()
    intervention.technicians.set(technicians)
    if ticket is not None:
        Ticket.objects.filter(pk=ticket.pk).update(intervention=intervention)
        ticket.intervention = intervention
        followed = ticket_follow_intervention(intervention=intervention, actor=created_by)
        if followed is not None:
            ticket.status = followed.status
    return intervention


@transaction.atomic
def intervention_create_on_site(
    *, by: User, client_account: ClientAccount, site: Site, equipment: Equipment | None = None,
    description: str,
) -> Intervention:
    """An extra job found on site: the technician creating it is assigned, it starts now."""
    if not client_account.active:
        raise _refuse("client_account", _("Ce client n'existe pas."))
    description = (description or "").strip()
    if not description:
        raise _refuse("description", _("Décrivez l'intervention."))
    intervention = intervention_create(
        client_account=client_account, site=site, created_by=by, equipment=equipment,
        description=description, technicians=[by], planned_start=timezone.now(),
    )
    return intervention_start(intervention=intervention, by=by)


def _locked_sheet(intervention: Intervention) -> Intervention:
    """The intervention's row, locked for the change; a signed (or cancelled) sheet is
    refused with a 409."""
    intervention = (Intervention.objects.select_for_update(of=("self",))
                    .select_related("equipment").get(pk=intervention.pk))
    if intervention.signed_at is not None:
        raise ServiceError(_("Ce bon d'intervention est signé : il ne peut plus être modifié."),
                           code="locked", status_code=409)
    if intervention.status in (IS.CANCELLED, IS.CLOSED):
        raise ServiceError(_("Cette intervention est %(status)s : elle ne peut plus être "
                             "modifiée.") % {"status": intervention.get_status_display().lower()},
                           code="locked", status_code=409)
    return intervention


def _time_labels() -> dict[str, str]:
    return {"departure_at": _("le départ"), "arrival_at": _("l'arrivée"),
            "end_at": _("la fin"), "return_at": _("le retour")}


# Dates of sheets, time entries and expenses: from this day, up to a year ahead (a typo such
# as 0001-01-01 or 9999-12-31 is refused, not stored to break every list that shows it).
_EARLIEST_DAY = datetime.date(2000, 1, 1)


def _date_window() -> tuple[datetime.date, datetime.date, str]:
    """The first and last days allowed, and the message that says so."""
    latest = timezone.localdate() + datetime.timedelta(days=366)
    return _EARLIEST_DAY, latest, _("Indiquez une date entre le %(first)s et le %(last)s.") % {
        "first": _EARLIEST_DAY.strftime("%d/%m/%Y"), "last": latest.strftime("%d/%m/%Y")}


def _check_times(intervention: Intervention) -> None:
    """Each time set within the date window (_date_window), each field out of it named;
    then departure ≤ arrival ≤ end ≤ return, for the times that are set; the later field of
    a pair in the wrong order is named."""
    labels = _time_labels()
    errors: dict[str, list[str]] = {}
    first_day, last_day, message = _date_window()
    # Compared as aware datetimes: converting 9999-12-31 23:59 to local time would overflow.
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=tz)
    stop = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(),
                                     tzinfo=tz)
    for name in SHEET_TIMES:
        value = getattr(intervention, name)
        if value is not None and not start <= value < stop:
            errors[name] = [message]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    for i, later in enumerate(SHEET_TIMES):
        later_value = getattr(intervention, later)
        if later_value is None:
            continue
        for earlier in reversed(SHEET_TIMES[:i]):
            earlier_value = getattr(intervention, earlier)
            if earlier_value is not None:
                if later_value < earlier_value:
                    errors[later] = [_("%(later)s ne peut précéder %(earlier)s.") % {
                        "later": labels[later].capitalize(), "earlier": labels[earlier]}]
                break
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="invalid", fields=errors)


def _meter_value(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        value = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise _refuse("meter_reading", _("Indiquez un relevé compteur positif."))
    return value.quantize(Decimal("0.01"))


def _record_meter_reading(intervention: Intervention) -> None:
    """One meter reading per intervention on its equipment, following the sheet."""
    if intervention.equipment_id is None:
        return
    if intervention.meter_reading is None:
        MeterReading.objects.filter(intervention=intervention).delete()
        return
    read_at = (intervention.end_at or intervention.arrival_at or timezone.now())
    reading = MeterReading.objects.filter(intervention=intervention).first()
    if reading is None:
        MeterReading.objects.create(equipment_id=intervention.equipment_id,
                                    intervention=intervention,
                                    value=intervention.meter_reading, read_at=read_at)
    else:
        reading.equipment_id = intervention.equipment_id
        reading.value = intervention.meter_reading
        reading.read_at = read_at
        reading.save(update_fields=["equipment", "value", "read_at"])


@transaction.atomic
@status_move()
def intervention_sheet_update(*, intervention: Intervention, by: User | None,
                              **fields) -> Intervention:
    """Fill in the sheet: departure_at, arrival_at, end_at, return_at, meter_reading,
    work_done, comments, under_warranty, contract (only those given). Times must be in order;
    the arrival starts a planned intervention; the meter reading is also recorded on the
    equipment. A signed sheet is locked (409)."""
    unknown = set(fields) - SHEET_FIELDS
    if unknown:
        raise TypeError(f"intervention_sheet_update: unknown fields {sorted(unknown)}")
    locked = _locked_sheet(intervention)
    for name in SHEET_TIMES:
        if name in fields:
            setattr(locked, name, fields[name])
    _check_times(locked)
    if "meter_reading" in fields:
        locked.meter_reading = _meter_value(fields["meter_reading"])
    for name in ("work_done", "comments"):
        if name in fields:
            setattr(locked, name, (fields[name] or "").strip())
    if "under_warranty" in fields:
        locked.under_warranty = bool(fields["under_warranty"])
    if "contract" in fields:
        contract = fields["contract"]
        _check_company("contract", contract, locked.client_account_id,
                       _("Ce contrat n'existe pas."))
        locked.contract = contract
    started = locked.arrival_at is not None and locked.status in (IS.TO_PLAN, IS.PLANNED)
    if started:
        locked.status = IS.IN_PROGRESS
    locked.save()
    if "meter_reading" in fields or {"end_at", "arrival_at"} & set(fields):
        _record_meter_reading(locked)
    if started:
        ticket_follow_intervention(intervention=locked, actor=by)
    _refresh(intervention, locked)
    return intervention


def _refresh(target: Intervention, source: Intervention) -> None:
    """Copy the saved row onto the caller's instance (which keeps its prefetches)."""
    for field in Intervention._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._loaded_status = source._loaded_status  # the status guard's "as saved"


# --- Lines, time, expenses, documents ------------------------------------------------------

def _check_quantity(*, article: Article, quantity, field: str = "quantity") -> Decimal:
    try:
        quantity = Decimal(str(quantity))
    except (InvalidOperation, TypeError, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        raise _refuse(field, _("Indiquez une quantité valide."))
    if quantity <= 0:
        raise _refuse(field, _("La quantité doit être supérieure à zéro."))
    if quantity >= Decimal("1e9") or quantity.normalize().as_tuple().exponent < -3:
        raise _refuse(field, _("Indiquez une quantité valide (trois décimales au plus)."))
    if article.unit == "u" and quantity != quantity.to_integral_value():
        raise _refuse(field, _("Cet article se compte à l'unité : indiquez un nombre entier."))
    return quantity


def _technician_article(article: Article) -> Article:
    article = Article.objects.select_related("family").filter(pk=article.pk).first()
    if article is None or not (article.active and article.visible_to_technicians
                               and article.family.visible_to_technicians):
        raise _refuse("article", _("Cet article n'est pas proposé aux techniciens."))
    return article


@transaction.atomic
def intervention_line_add(*, intervention: Intervention, article: Article, quantity,
                          label: str = "") -> InterventionLine:
    """An article or labour line from the technicians' catalogue, at the article's price."""
    locked = _locked_sheet(intervention)
    article = _technician_article(article)
    quantity = _check_quantity(article=article, quantity=quantity)
    position = (locked.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    line = InterventionLine.objects.create(
        intervention=locked, position=position, article=article,
        label=(label or "").strip()[:255] or article.label, quantity=quantity,
        unit_price_excl_tax=article.price_excl_tax,
    )
    locked.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def intervention_line_update(*, line: InterventionLine, quantity,
                             label: str | None = None) -> InterventionLine:
    locked = _locked_sheet(line.intervention)
    line = InterventionLine.objects.select_related("article").get(pk=line.pk,
                                                                  intervention=locked)
    line.quantity = _check_quantity(article=line.article, quantity=quantity)
    changed = ["quantity"]
    if label is not None:
        line.label = label.strip()[:255] or line.article.label
        changed.append("label")
    line.save(update_fields=changed)
    locked.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def intervention_line_remove(*, line: InterventionLine) -> None:
    locked = _locked_sheet(line.intervention)
    InterventionLine.objects.filter(pk=line.pk, intervention=locked).delete()
    locked.save(update_fields=["updated_at"])


def _check_staff(technician: User | None) -> User:
    if technician is None or not (technician.is_active and technician.is_staff):
        raise _refuse("technician", _("Seul un technicien peut saisir ses heures et ses "
                                      "frais."))
    return technician


def _check_date(value, field: str = "date") -> datetime.date:
    """A date (not a datetime) within the date window (_date_window)."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise _refuse(field, _("Indiquez une date valide."))
    first_day, last_day, message = _date_window()
    if not first_day <= value <= last_day:
        raise _refuse(field, message)
    return value


@transaction.atomic
def time_entry_add(*, intervention: Intervention, technician: User, kind: str,
                   date: datetime.date, hours, comment: str = "") -> TimeEntry:
    locked = _locked_sheet(intervention)
    _check_staff(technician)
    if kind not in TimeEntryKind.values:
        raise _refuse("kind", _("Choisissez un type de saisie."))
    date = _check_date(date)
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, TypeError, ValueError):
        hours = None
    if (hours is None or not hours.is_finite() or not 0 < hours <= 24
            or hours.normalize().as_tuple().exponent < -2):
        raise _refuse("hours", _("Entre 0 et 24 heures (deux décimales au plus)."))
    entry = TimeEntry.objects.create(intervention=locked, technician=technician, kind=kind,
                                     date=date, hours=hours,
                                     comment=(comment or "").strip()[:255])
    locked.save(update_fields=["updated_at"])
    return entry


@transaction.atomic
def time_entry_remove(*, entry: TimeEntry) -> None:
    locked = _locked_sheet(entry.intervention)
    TimeEntry.objects.filter(pk=entry.pk, intervention=locked).delete()
    locked.save(update_fields=["updated_at"])


@transaction.atomic
def expense_add(*, intervention: Intervention, technician: User, kind: str,
                date: datetime.date, amount, comment: str = "", receipt=None) -> Expense:
    """An expense with its receipt (one photo or PDF, checked, stored in the GED as a
    receipt of the intervention: the staff see it, the client never does)."""
    locked = _locked_sheet(intervention)
    _check_staff(technician)
    if kind not in ExpenseKind.values:
        raise _refuse("kind", _("Choisissez un type de frais."))
    date = _check_date(date)
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if (amount is None or not amount.is_finite() or amount <= 0
            or amount >= Decimal("1e8") or amount.normalize().as_tuple().exponent < -2):
        raise _refuse("amount", _("Indiquez un montant positif (deux décimales au plus)."))
    document = None
    if receipt is not None:
        [upload] = upload_validate(files=[receipt], field="receipt")
        [document] = _store_uploads([upload], obj=locked, client_account=None, by=technician,
                                    kind=DocumentKind.RECEIPT)
    expense = Expense.objects.create(intervention=locked, technician=technician, kind=kind,
                                     date=date, amount=amount,
                                     comment=(comment or "").strip()[:255], receipt=document)
    locked.save(update_fields=["updated_at"])
    return expense


def _document_delete(document: Document) -> None:
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def expense_remove(*, expense: Expense) -> None:
    """Remove an expense and its receipt."""
    locked = _locked_sheet(expense.intervention)
    expense = Expense.objects.select_related("receipt").filter(pk=expense.pk,
                                                               intervention=locked).first()
    if expense is None:
        return
    receipt = expense.receipt
    expense.delete()
    if receipt is not None:
        _document_delete(receipt)
    locked.save(update_fields=["updated_at"])


@transaction.atomic
def intervention_documents_add(*, intervention: Intervention, by: User | None,
                               files: Iterable) -> list[Document]:
    """Photos and documents of the intervention, checked by content and stored in the GED
    (the client sees them with the intervention)."""
    locked = _locked_sheet(intervention)
    uploads = upload_validate(files=files, field="files")
    if not uploads:
        raise _refuse("files", _("Choisissez au moins un fichier."))
    documents = _store_uploads(uploads, obj=locked,
                               client_account=locked.client_account, by=by)
    locked.save(update_fields=["updated_at"])
    return documents


# --- Signature and report ------------------------------------------------------------------

SIGNATURE_MAX_SIDE = 1200


def _clean_signature(content: bytes) -> bytes:
    """The signature as a fresh PNG (no metadata), refused unless it is a real PNG with ink
    on it."""
    not_png = _("La signature doit être une image PNG.")
    if not content or len(content) > settings.UPLOAD_MAX_BYTES:
        raise _refuse("signature", not_png)
    if not content.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _refuse("signature", not_png)
    try:
        image = Image.open(io.BytesIO(content))
        if image.format != "PNG" or image.width * image.height > 25_000_000:
            raise _refuse("signature", not_png)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombError) as exc:
        raise _refuse("signature", not_png) from exc
    image = image.convert("RGBA")
    # Ink: a pixel that is visible (alpha) and not white paper.
    alpha = image.getchannel("A")
    darkness = image.convert("L").point(lambda v: 255 if v < 200 else 0)
    ink = Image.composite(darkness, Image.new("L", image.size, 0),
                          alpha.point(lambda v: 255 if v > 32 else 0))
    box = ink.getbbox()
    if box is None or (box[2] - box[0]) * (box[3] - box[1]) < 30:
        raise _refuse("signature", _("La signature est vide : faites signer le client."))
    image.thumbnail((SIGNATURE_MAX_SIDE, SIGNATURE_MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@transaction.atomic
@status_move()
def intervention_sign(*, intervention: Intervention, by: User | None, signer_name: str,
                      signature_png: bytes, render_report: bool = True) -> Intervention:
    """The customer signs the sheet on the screen: the sheet must be complete (arrival, end,
    work done, signer's name — each missing one named); it is then locked, the intervention
    is done, its request follows and the report PDF is rendered in the background
    (`render_report=False`, for imported history: on its first download instead)."""
    locked = (Intervention.objects.select_for_update(of=("self",))
              .select_related("equipment").get(pk=intervention.pk))
    if locked.signed_at is not None:
        raise ServiceError(_("Ce bon d'intervention est déjà signé."), code="already_signed",
                           status_code=409)
    if locked.status in (IS.CANCELLED, IS.CLOSED):
        raise ServiceError(_("Cette intervention est %(status)s : elle ne peut plus être "
                             "signée.") % {"status": locked.get_status_display().lower()},
                           code="locked", status_code=409)
    signer_name = (signer_name or "").strip()[:150]
    missing = {
        "arrival_at": _("Indiquez l'heure d'arrivée."),
        "end_at": _("Indiquez l'heure de fin."),
        "work_done": _("Décrivez les travaux réalisés."),
        "signer_name": _("Indiquez le nom du signataire."),
    }
    present = {"arrival_at": locked.arrival_at is not None, "end_at": locked.end_at is not None,
               "work_done": bool(locked.work_done.strip()), "signer_name": bool(signer_name)}
    errors = {field: [message] for field, message in missing.items() if not present[field]}
    if errors:
        raise ServiceError(_("Le bon ne peut pas être signé : complétez la fiche."),
                           code="incomplete", fields=errors)
    _check_times(locked)
    png = _clean_signature(signature_png)
    now = timezone.now()
    locked.signature_image.save(f"{locked.number}.png", ContentFile(png), save=False)
    locked.signer_name = signer_name
    locked.signed_at = now
    locked.status = IS.DONE
    locked.save()
    ticket_follow_intervention(
        intervention=locked, actor=by,
        message=_("Intervention %(number)s réalisée ; bon d'intervention signé par %(signer)s "
                  "le %(when)s.") % {"number": locked.number, "signer": signer_name,
                                     "when": _local(now)},
    )
    if render_report:
        from workflows.tasks.service import intervention_render_report_task

        intervention_render_report_task.delay_on_commit(locked.pk)
    _refresh(intervention, locked)
    return intervention


@transaction.atomic
@status_move()
def intervention_cancel(*, intervention: Intervention, by: User | None,
                        reason: str) -> Intervention:
    """Cancel an intervention not yet signed, saying why (kept in its comments); its request
    goes back to "in progress" for the staff to answer or plan again."""
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason", _("Indiquez le motif de l'annulation."))
    locked = _locked_sheet(intervention)
    locked.status = IS.CANCELLED
    locked.comments = f"{locked.comments}\n{reason}".strip()
    locked.save(update_fields=["status", "comments", "updated_at"])
    ticket_follow_intervention(intervention=locked, actor=by)
    _refresh(intervention, locked)
    return intervention


@transaction.atomic
@status_move()
def intervention_close(*, intervention: Intervention, by: User | None) -> Intervention:
    """Close a done and signed intervention (the back office has checked and billed it); its
    request is closed too."""
    locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if locked.status != IS.DONE or locked.signed_at is None:
        raise ServiceError(_("Seule une intervention réalisée et signée peut être clôturée."),
                           code="not_done", status_code=409)
    locked.status = IS.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    ticket_follow_intervention(intervention=locked, actor=by)
    _refresh(intervention, locked)
    return intervention


def _moved(intervention: Intervention, locked: Intervention, status: str, *,
           by: User | None) -> Intervention:
    """Save the locked row in its new status, the request following; the caller's instance
    gets the saved row."""
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    ticket_follow_intervention(intervention=locked, actor=by)
    _refresh(intervention, locked)
    return intervention


def _locked_in(intervention: Intervention, statuses: Iterable[str], message: str
               ) -> Intervention:
    locked = _locked_sheet(intervention)
    if locked.status not in statuses:
        raise ServiceError(message, code="wrong_status", status_code=409)
    return locked


@transaction.atomic
@status_move()
def intervention_plan(*, intervention: Intervention, by: User | None) -> Intervention:
    """An intervention to plan is planned once it has its technicians and its start (set on
    it beforehand); its request follows."""
    locked = _locked_in(intervention, {IS.TO_PLAN},
                        _("Seule une intervention à planifier peut être planifiée."))
    errors = {}
    if not locked.technicians.exists():
        errors["technicians"] = [_("Affectez au moins un technicien.")]
    if locked.planned_start is None:
        errors["planned_start"] = [_("Indiquez le début prévu.")]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    return _moved(intervention, locked, IS.PLANNED, by=by)


@transaction.atomic
@status_move()
def intervention_start(*, intervention: Intervention, by: User | None) -> Intervention:
    """The work starts (the technician is on site); its request follows."""
    locked = _locked_in(intervention, {IS.TO_PLAN, IS.PLANNED},
                        _("Cette intervention est déjà commencée."))
    if not locked.technicians.exists():
        raise _refuse("technicians", _("Affectez au moins un technicien."))
    return _moved(intervention, locked, IS.IN_PROGRESS, by=by)


@transaction.atomic
@status_move()
def intervention_mark_done(*, intervention: Intervention, by: User | None) -> Intervention:
    """Done without the customer's signature (he was not there): the sheet must be complete
    (arrival, end, work done — each missing one named); it stays editable, and only a signed
    sheet is closed. Its request follows."""
    locked = _locked_in(intervention, {IS.TO_PLAN, IS.PLANNED, IS.IN_PROGRESS},
                        _("Cette intervention est déjà réalisée."))
    missing = {
        "arrival_at": (locked.arrival_at is None, _("Indiquez l'heure d'arrivée.")),
        "end_at": (locked.end_at is None, _("Indiquez l'heure de fin.")),
        "work_done": (not locked.work_done.strip(), _("Décrivez les travaux réalisés.")),
    }
    errors = {field: [message] for field, (absent, message) in missing.items() if absent}
    if errors:
        raise ServiceError(_("L'intervention ne peut pas être réalisée : complétez la fiche."),
                           code="incomplete", fields=errors)
    _check_times(locked)
    return _moved(intervention, locked, IS.DONE, by=by)


@transaction.atomic
def intervention_set_status(*, intervention: Intervention, status: str, by: User | None,
                            reason: str = "") -> Intervention:
    """Move an intervention to a status of its pipeline (Intervention.STATUS_MOVES) through
    that move's service, its request following with a timeline step: planned (technicians and
    start set), in progress, done (complete sheet, unsigned), closed (signed), cancelled
    (`reason` required, 400 on ``reason``). A move not in the pipeline is a 409."""
    locked = Intervention.objects.select_for_update(of=("self",)).get(pk=intervention.pk)
    status_move_check(locked, status)
    moves = {
        IS.PLANNED: lambda: intervention_plan(intervention=intervention, by=by),
        IS.IN_PROGRESS: lambda: intervention_start(intervention=intervention, by=by),
        IS.DONE: lambda: intervention_mark_done(intervention=intervention, by=by),
        IS.CLOSED: lambda: intervention_close(intervention=intervention, by=by),
        IS.CANCELLED: lambda: intervention_cancel(intervention=intervention, by=by,
                                                  reason=reason),
    }
    return moves[status]()


def intervention_render_report(*, intervention: Intervention) -> bytes:
    """The signed report (bon d'intervention) as a PDF: pure rendering, nothing stored."""
    from cms.selectors import pdf_seller
    from workflows.renderers import render_pdf

    from .selectors import intervention_report_context

    # A report is a French business document, whoever asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template="pdf/intervention_report.html",
                          context=intervention_report_context(intervention=intervention,
                                                              seller=pdf_seller()))


def intervention_report_ensure(*, intervention: Intervention, replace: bool = False) -> Document:
    """The intervention's stored report PDF (a GED document of the client, related to the
    intervention), rendered and stored if it has none yet. Safe to run twice or
    concurrently: one intervention never gets two reports. `replace` renders it again.
    Only a signed sheet has a report (409)."""
    current = (Intervention.objects.filter(pk=intervention.pk)
               .values_list("report_id", "signed_at").first())
    if current is None:
        raise Intervention.DoesNotExist
    report_id, signed_at = current
    if signed_at is None:
        raise ServiceError(_("Le bon d'intervention n'est pas encore signé."),
                           code="not_signed", status_code=409)
    if report_id and not replace:
        document = Document.objects.filter(pk=report_id).first()
        if document is not None:
            intervention.report = document
            return document
    # Rendering takes a while: done before taking the lock.
    content = intervention_render_report(intervention=intervention)
    with transaction.atomic():
        locked = (Intervention.objects.select_for_update(of=("self",))
                  .select_related("client_account").get(pk=intervention.pk))
        if locked.report_id and locked.report_id != report_id:
            document = Document.objects.get(pk=locked.report_id)  # a concurrent run won
        else:
            document = document_create(
                title=_("Bon d'intervention %(number)s") % {"number": locked.number},
                filename=f"{locked.number}.pdf", content=content,
                kind=DocumentKind.INTERVENTION_REPORT, client_account=locked.client_account,
                related_object=locked, content_type="application/pdf",
                document_date=timezone.localdate(locked.signed_at),
            )
            if locked.report_id:
                old = Document.objects.filter(pk=locked.report_id).first()
                if old is not None:
                    _document_delete(old)
            locked.report = document
            locked.save(update_fields=["report", "updated_at"])
    intervention.report = document
    return document
